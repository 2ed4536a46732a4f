import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect, Layer } from "effect"
import { metricsRoute } from "../../../src/adapters/http/metrics-route.ts"
import { serveHttp } from "../../../src/adapters/http/server.ts"
import { Metrics, makeMetrics } from "../../../src/adapters/metrics/metrics.ts"
import { promtoolCheck, sample } from "../../support/promtool.ts"

describe("GET /metrics", () => {
  it("serves the registry in the Prometheus text format", async () => {
    const metrics = makeMetrics({ processMetrics: true })
    metrics.updateReceived("Button", 1, Date.now())
    metrics.updateHandled("Button", "ok", 0.004)
    const response = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const { port } = yield* serveHttp({ port: 0, host: "127.0.0.1", routes: [metricsRoute] })
          return yield* Effect.promise(async () => {
            const answer = await fetch(`http://127.0.0.1:${port}/metrics`)
            return {
              status: answer.status,
              type: answer.headers.get("content-type"),
              body: await answer.text(),
            }
          })
        }),
      ).pipe(Effect.provide(Layer.succeed(Metrics, metrics))),
    )
    assert.equal(response.status, 200)
    assert.match(response.type ?? "", /^text\/plain; version=0\.0\.4; charset=utf-8/)
    assert.equal(sample(response.body, 'bot_updates_handled_total{kind="Button",outcome="ok"}'), 1)
    const check = promtoolCheck(response.body)
    assert.ok(check.ok, check.output)
  })
})
