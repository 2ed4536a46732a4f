import assert from "node:assert/strict"
import { mkdir, readFile, writeFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import { after, describe, it } from "node:test"
import { Effect } from "effect"
import pixelmatch from "pixelmatch"
import { PNG } from "pngjs"
import { makeVegaRenderer, rendererFiles } from "../../../src/adapters/charts/vega-renderer.ts"
import { CHART_DAYS, chartsOf } from "../../../src/application/admin/charts.ts"
import { computeStatistics } from "../../../src/domain/statistics.ts"
import { temporaryDirectory } from "../../support/bot-process.ts"
import { CHART_NOW, seededOrders, seededSummaries } from "../../support/chart-data.ts"

/**
 * The golden pictures. To refresh them on purpose (a chart's look changed and the new one is right):
 * `UPDATE_CHART_GOLDEN=1 npx node --test test/adapters/charts/vega-renderer.test.ts`, then look at them.
 */
const GOLDEN = resolve(import.meta.dirname, "../../fixtures/charts")
/** Pixels that may differ (anti-aliasing, a library's small change); a missing bar or label is far more. */
const TOLERANCE = 0.02

const decode = (bytes: Uint8Array) => PNG.sync.read(Buffer.from(bytes))

describe("the chart renderer: Vega-Lite → SVG → PNG with Vazirmatn, in a worker thread", () => {
  const renderer = makeVegaRenderer()
  after(() => renderer.stop())
  const stats = computeStatistics(seededSummaries(500), CHART_NOW, 1, CHART_DAYS)

  for (const chart of chartsOf(stats, seededOrders())) {
    it(`draws «${chart.title}» as its golden picture`, async () => {
      const png = await Effect.runPromise(renderer.renderer.render(chart.spec))
      const image = decode(png)
      assert.ok(image.width >= 1200 && image.width <= 2200, `width ${image.width}`)
      assert.ok(image.height >= 800 && image.height <= 1200, `height ${image.height}`)
      let inked = 0
      for (let at = 0; at < image.data.length; at += 4)
        if ((image.data[at] ?? 255) < 200 || (image.data[at + 1] ?? 255) < 200) inked++
      assert.ok(inked / (image.width * image.height) > 0.05, "not blank")
      const path = join(GOLDEN, `${chart.name}.png`)
      if (process.env.UPDATE_CHART_GOLDEN !== undefined) {
        await mkdir(GOLDEN, { recursive: true })
        await writeFile(path, png)
      }
      const golden = decode(await readFile(path))
      assert.deepEqual(
        [image.width, image.height],
        [golden.width, golden.height],
        "the golden picture's size",
      )
      const differing = pixelmatch(image.data, golden.data, undefined, image.width, image.height, {
        threshold: 0.1,
      })
      assert.ok(
        differing / (image.width * image.height) <= TOLERANCE,
        `${differing} pixels differ from ${path} (${((100 * differing) / (image.width * image.height)).toFixed(2)} %)`,
      )
    })
  }

  it("fails every chart with the reason when its font is damaged", async () => {
    const damaged = join(await temporaryDirectory("font-"), "Vazirmatn-Regular.ttf")
    await writeFile(damaged, "not a font at all".repeat(100))
    const broken = makeVegaRenderer({ ...rendererFiles(), font: damaged })
    try {
      const [chart] = chartsOf(stats, [])
      const failure = await Effect.runPromise(Effect.flip(broken.renderer.render(chart?.spec ?? {})))
      assert.equal(failure._tag, "ChartError")
      assert.match(failure.detail, /is damaged/)
    } finally {
      broken.stop()
    }
  })

  it("answers a specification Vega-Lite cannot compile with a ChartError, and keeps drawing", async () => {
    const failure = await Effect.runPromise(Effect.flip(renderer.renderer.render({ mark: "no such mark" })))
    assert.equal(failure._tag, "ChartError")
    const [chart] = chartsOf(stats, [])
    assert.ok((await Effect.runPromise(renderer.renderer.render(chart?.spec ?? {}))).length > 1000)
  })
})
