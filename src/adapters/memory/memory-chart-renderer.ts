import { Effect, Layer } from "effect"
import { ChartError, ChartRenderer, type ChartSpec } from "../../application/ports/chart-renderer.ts"

/** The smallest PNG there is (1×1, transparent): what a chart "is" where no pixels are needed. */
const ONE_PIXEL = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
    "base64",
  ),
)

/** A renderer that keeps the specifications it was given; `failing` makes every chart fail, as a broken font would. */
export const makeMemoryChartRenderer = () => {
  const rendered: Array<ChartSpec> = []
  const state = { failing: false }
  const service = ChartRenderer.of({
    render: (spec) =>
      Effect.suspend(() => {
        if (state.failing) return Effect.fail(new ChartError({ detail: "the font could not be read" }))
        rendered.push(spec)
        return Effect.succeed(ONE_PIXEL)
      }),
  })
  return { service, layer: Layer.succeed(ChartRenderer, service), rendered, state }
}
