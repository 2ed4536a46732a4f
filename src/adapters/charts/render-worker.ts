/**
 * The chart renderer's worker thread (vega-renderer.ts starts it on the first chart): Vega-Lite → Vega →
 * SVG (headless, no DOM), then resvg → PNG, with the bundled Vazirmatn font and no system fonts. It runs
 * beside the bot's event loop, so a chart never holds up a student's reply.
 */
import { readFileSync } from "node:fs"
import { parentPort, workerData } from "node:worker_threads"
import { initWasm, Resvg } from "@resvg/resvg-wasm"
import * as vega from "vega"
import { compile, type TopLevelSpec } from "vega-lite"

export type RenderRequest = { readonly id: number; readonly spec: unknown }
export type RenderReply =
  | { readonly id: number; readonly png: Uint8Array }
  | { readonly id: number; readonly error: string }
export type WorkerFiles = { readonly font: string; readonly wasm: string }

const files = workerData as WorkerFiles
/** Pixels per chart unit: a 640-wide chart is 1 280 pixels wide, sharp on a phone. */
const SCALE = 2

/** A TrueType or OpenType font starts with one of these: anything else would draw boxes, or nothing. */
const FONT_SIGNATURES = ["00010000", "74727565", "4f54544f"]

const ready = (async () => {
  await initWasm(readFileSync(files.wasm))
  const font = readFileSync(files.font)
  if (font.length < 1024 || !FONT_SIGNATURES.includes(font.subarray(0, 4).toString("hex")))
    throw new Error(`the font ${files.font} is damaged (not a TrueType or OpenType font)`)
  return font
})()

const render = async (spec: unknown): Promise<Uint8Array> => {
  const font = await ready
  const view = new vega.View(vega.parse(compile(spec as TopLevelSpec).spec), { renderer: "none" })
  const svg = await view.toSVG()
  view.finalize()
  const resvg = new Resvg(svg, {
    font: { fontBuffers: [font], defaultFontFamily: "Vazirmatn", loadSystemFonts: false },
    fitTo: { mode: "zoom", value: SCALE },
  })
  return resvg.render().asPng()
}

parentPort?.on("message", (request: RenderRequest) => {
  render(request.spec).then(
    (png) =>
      parentPort?.postMessage({ id: request.id, png } satisfies RenderReply, [png.buffer as ArrayBuffer]),
    (error: unknown) =>
      parentPort?.postMessage({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies RenderReply),
  )
})
