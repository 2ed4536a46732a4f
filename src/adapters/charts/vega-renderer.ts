import { createRequire } from "node:module"
import { join } from "node:path"
import { Worker } from "node:worker_threads"
import { Effect, Layer } from "effect"
import { ChartError, ChartRenderer } from "../../application/ports/chart-renderer.ts"
import type { RenderReply, WorkerFiles } from "./render-worker.ts"

/** A worker with no chart asked for this long is stopped (and started again by the next one). */
const IDLE_MS = 60_000

/**
 * Where the worker and its files are: beside the bundle in the image (`npm run build` copies the font and
 * resvg's wasm there), in node_modules when the bot runs from its sources.
 */
export const rendererFiles = (): { readonly worker: URL } & WorkerFiles => {
  const bundled = import.meta.url.endsWith(".mjs")
  if (bundled)
    return {
      worker: new URL("./charts.mjs", import.meta.url),
      font: join(import.meta.dirname, "fonts", "Vazirmatn-Regular.ttf"),
      wasm: join(import.meta.dirname, "resvg.wasm"),
    }
  const require = createRequire(import.meta.url)
  return {
    worker: new URL("./render-worker.ts", import.meta.url),
    font: require.resolve("vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf"),
    wasm: require.resolve("@resvg/resvg-wasm/index_bg.wasm"),
  }
}

/**
 * ChartRenderer over Vega-Lite, Vega and resvg in a worker thread: the libraries are loaded only when an
 * admin first asks for a chart, in the worker, never on a student's update. One chart at a time per request,
 * answered in order; a worker that dies fails the charts it was drawing, and the next chart starts a new one.
 */
export const makeVegaRenderer = (files: { readonly worker: URL } & WorkerFiles = rendererFiles()) => {
  let worker: Worker | undefined
  let idle: NodeJS.Timeout | undefined
  let next = 0
  const waiting = new Map<number, (reply: RenderReply) => void>()

  const stop = () => {
    const current = worker
    worker = undefined
    void current?.terminate()
  }
  const start = (): Worker => {
    const started = new Worker(files.worker, { workerData: { font: files.font, wasm: files.wasm } })
    started.unref()
    started.on("message", (reply: RenderReply) => {
      const done = waiting.get(reply.id)
      waiting.delete(reply.id)
      done?.(reply)
    })
    const fail = (error: unknown) => {
      if (worker === started) worker = undefined
      for (const [id, done] of waiting) done({ id, error: `the chart worker stopped: ${String(error)}` })
      waiting.clear()
    }
    started.on("error", fail)
    started.on("exit", (code) => {
      if (waiting.size > 0) fail(`exit code ${code}`)
      if (worker === started) worker = undefined
    })
    return started
  }

  const render = (spec: unknown) =>
    Effect.async<Uint8Array, ChartError>((resume) => {
      clearTimeout(idle)
      worker ??= start()
      const id = next++
      waiting.set(id, (reply) => {
        if (waiting.size === 0) idle = setTimeout(stop, IDLE_MS).unref()
        resume(
          "png" in reply ? Effect.succeed(reply.png) : Effect.fail(new ChartError({ detail: reply.error })),
        )
      })
      worker.postMessage({ id, spec })
    })

  return { renderer: ChartRenderer.of({ render }), stop }
}

/** The renderer, stopped with the bot. */
export const VegaChartRenderer = Layer.scoped(
  ChartRenderer,
  Effect.map(
    Effect.acquireRelease(Effect.sync(makeVegaRenderer), ({ stop }) => Effect.sync(stop)),
    ({ renderer }) => renderer,
  ),
)
