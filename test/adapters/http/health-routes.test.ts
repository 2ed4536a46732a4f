import assert from "node:assert/strict"
import { mkdir, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Effect, Exit, Fiber, Layer, Scope } from "effect"
import { probeDirectory, ReadinessLive, serveOperations } from "../../../src/adapters/http/health-routes.ts"
import type { Route } from "../../../src/adapters/http/server.ts"
import { type BotMetrics, Metrics, makeMetrics } from "../../../src/adapters/metrics/metrics.ts"
import { BotApi, BotApiProbeLive, BotApiUnreachable } from "../../../src/adapters/telegram/bot-api.ts"
import { temporaryDirectory } from "../../support/bot-process.ts"

type Setup = {
  readonly storageDir: string
  readonly metrics: BotMetrics
  /** Whether getMe answers. */
  readonly telegramUp: { value: boolean }
  readonly getMeCalls: { value: number }
  readonly drainMillis?: number
}

const setup = async (overrides: Partial<Setup> = {}): Promise<Setup> => ({
  storageDir: join(await temporaryDirectory("ready-"), "users"),
  metrics: makeMetrics(),
  telegramUp: { value: true },
  getMeCalls: { value: 0 },
  ...overrides,
})

/** Starts the operations server in its own scope; returns its URL and the scope to close it. */
const start = (config: Setup) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const fakeApi = Layer.succeed(BotApi, {
      call: () =>
        Effect.suspend(() => {
          config.getMeCalls.value += 1
          return config.telegramUp.value
            ? Effect.succeed({ id: 1 })
            : Effect.fail(new BotApiUnreachable({ method: "getMe", detail: "ECONNREFUSED" }))
        }) as never,
    })
    const layer = ReadinessLive({ storage: probeDirectory(config.storageDir) }).pipe(
      Layer.provide(
        Layer.mergeAll(BotApiProbeLive.pipe(Layer.provide(fakeApi)), Layer.succeed(Metrics, config.metrics)),
      ),
    )
    const { port } = yield* serveOperations({
      port: 0,
      host: "127.0.0.1",
      routes: [] as ReadonlyArray<Route>,
      ...(config.drainMillis === undefined ? {} : { drainMillis: config.drainMillis }),
    }).pipe(Effect.provide(layer), Scope.extend(scope))
    return { base: `http://127.0.0.1:${port}`, scope }
  })

const get = async (url: string) => {
  const response = await fetch(url)
  const body = await response.text()
  return { status: response.status, body, json: () => JSON.parse(body) }
}

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)

describe("health and readiness routes", () => {
  it("answers /, /healthz and /readyz with 200 while all is well", async () => {
    const config = await setup()
    config.metrics.botApiCall("getUpdates", "ok", 0.1, true, Date.now())
    const { base, scope } = await run(start(config))
    try {
      assert.equal((await get(`${base}/`)).status, 200)
      assert.equal((await get(`${base}/healthz`)).status, 200)
      const ready = await get(`${base}/readyz`)
      assert.equal(ready.status, 200)
      assert.deepEqual(ready.json(), {
        status: "ready",
        checks: { storage: "ok", botApi: "ok", shutdown: "ok" },
      })
      assert.equal(config.getMeCalls.value, 0, "a recent answer needs no probe")
    } finally {
      await run(Scope.close(scope, Exit.void))
    }
  })

  it("turns 503 with the reason when storage cannot be written, and back when it can", async () => {
    const config = await setup()
    const { base, scope } = await run(start(config))
    try {
      assert.equal((await get(`${base}/readyz`)).status, 200)
      // As root a read-only mode is no obstacle; a file where the directory should be is.
      await rm(config.storageDir, { recursive: true, force: true })
      await writeFile(config.storageDir, "not a directory")
      const blocked = await get(`${base}/readyz`)
      assert.equal(blocked.status, 503)
      assert.equal(blocked.json().status, "not ready")
      assert.match(blocked.json().reason, /^storage: not writable: /)
      assert.equal(blocked.json().checks.botApi, "ok")
      assert.equal((await get(`${base}/healthz`)).status, 200, "alive all the same")

      await rm(config.storageDir)
      await mkdir(config.storageDir)
      assert.equal((await get(`${base}/readyz`)).status, 200)
    } finally {
      await run(Scope.close(scope, Exit.void))
    }
  })

  it("is not ready when the Bot API stopped answering, and asks it again with getMe", async () => {
    const config = await setup()
    config.metrics.botApiCall("getUpdates", "ok", 0.1, true, Date.now() - 10 * 60_000)
    config.telegramUp.value = false
    const { base, scope } = await run(start(config))
    try {
      const silent = await get(`${base}/readyz`)
      assert.equal(silent.status, 503)
      assert.match(silent.json().reason, /^botApi: not answering: ECONNREFUSED/)
      config.telegramUp.value = true
      assert.equal((await get(`${base}/readyz`)).status, 200)
      const calls = config.getMeCalls.value
      assert.equal((await get(`${base}/readyz`)).status, 200)
      assert.equal(config.getMeCalls.value, calls, "a fresh probe answer is reused")
    } finally {
      await run(Scope.close(scope, Exit.void))
    }
  })

  it("turns 503 as soon as shutdown begins, while the server still answers", async () => {
    const config = await setup({ drainMillis: 500 })
    config.metrics.botApiCall("getUpdates", "ok", 0.1, true, Date.now())
    const { base, scope } = await run(start(config))
    assert.equal((await get(`${base}/readyz`)).status, 200)
    const closing = Effect.runFork(Scope.close(scope, Exit.void))
    let during: { status: number; reason: string } | undefined
    for (let attempt = 0; attempt < 100 && during === undefined; attempt += 1) {
      const answer = await get(`${base}/readyz`).catch(() => undefined)
      if (answer?.status === 503) during = { status: answer.status, reason: answer.json().reason }
    }
    await run(Fiber.join(closing))
    assert.deepEqual(during, { status: 503, reason: "shutdown: shutting down" })
    await assert.rejects(fetch(`${base}/healthz`), "closed after the drain")
  })
})
