import { Effect } from "effect"
import { Metrics } from "../metrics/metrics.ts"
import type { Route } from "./server.ts"

/** GET /metrics: every metric in the Prometheus text exposition format, for a scraper. */
export const metricsRoute: Route<Metrics> = {
  method: "GET",
  path: "/metrics",
  handle: () =>
    Effect.gen(function* () {
      const { contentType, body } = yield* (yield* Metrics).exposition
      return { status: 200, headers: { "content-type": contentType }, body }
    }),
}
