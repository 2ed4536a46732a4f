import { mkdir, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { Clock, Context, Duration, Effect, Layer, Ref } from "effect"
import { Metrics } from "../metrics/metrics.ts"
import { json, type Route, serveHttp, text } from "./server.ts"

export type ReadinessReport = {
  readonly ready: boolean
  /** Why not, in one line; undefined when ready. */
  readonly reason?: string
  readonly checks: {
    readonly storage: string
    readonly botApi: string
    readonly shutdown: string
  }
}

/** Whether the bot can do its work now: a load balancer or orchestrator asks through GET /readyz. */
export class Readiness extends Context.Tag("Readiness")<
  Readiness,
  {
    readonly check: Effect.Effect<ReadinessReport>
    /** From now on the bot is shutting down, and not ready. */
    readonly markStopping: Effect.Effect<void>
  }
>() {}

/**
 * Asks the messenger's API whether it answers (Telegram: getMe), failing with the reason in one line. The
 * telegram adapter provides it (BotApiProbeLive), so that readiness needs no Bot API client of its own.
 */
export class BotApiProbe extends Context.Tag("BotApiProbe")<
  BotApiProbe,
  { readonly ask: Effect.Effect<void, string> }
>() {}

/** Writes and removes a small file in `dir`: storage is writable only if that works. */
export const probeDirectory = (dir: string): Effect.Effect<void, string> =>
  Effect.tryPromise({
    try: async () => {
      await mkdir(dir, { recursive: true })
      const probe = join(dir, `.readyz-${process.pid}.tmp`)
      await writeFile(probe, "ok")
      await rm(probe, { force: true })
    },
    catch: (error) => (error instanceof Error ? error.message : String(error)),
  }).pipe(Effect.timeoutFail({ duration: Duration.seconds(3), onTimeout: () => "no answer within 3 s" }))

export type ReadinessSettings = {
  /** Succeeds when storage accepts writes, e.g. probeDirectory(USERS_DIR). */
  readonly storage: Effect.Effect<void, string>
  /** An answer from the Bot API within this many seconds counts as recent (long polls answer every 30 s). */
  readonly botApiFreshSeconds?: number
}

/**
 * Ready = storage writable, the Bot API answered recently, and not shutting down. When the last answer
 * is old (a quiet webhook bot, or Telegram down), one getMe with a short timeout asks again.
 */
export const ReadinessLive = (settings: ReadinessSettings) =>
  Layer.effect(
    Readiness,
    Effect.gen(function* () {
      const metrics = yield* Metrics
      const probe = yield* BotApiProbe
      const stopping = yield* Ref.make(false)
      const freshMs = (settings.botApiFreshSeconds ?? 90) * 1000
      let lastProbe: number | undefined

      const answeredSince = (now: number) => {
        const last = Math.max(metrics.lastBotApiAnswer() ?? 0, lastProbe ?? 0)
        return last > 0 && now - last <= freshMs
      }

      const botApi = Effect.gen(function* () {
        if (answeredSince(yield* Clock.currentTimeMillis)) return "ok"
        return yield* probe.ask.pipe(
          Effect.timeoutFail({ duration: Duration.seconds(3), onTimeout: () => "no answer within 3 s" }),
          Effect.zipRight(Clock.currentTimeMillis),
          Effect.map((now) => {
            lastProbe = now
            return "ok"
          }),
          Effect.catchAll((error) => Effect.succeed(`not answering: ${error}`)),
        )
      })

      const check = Effect.gen(function* () {
        const shuttingDown = yield* Ref.get(stopping)
        const [storage, telegram] = yield* Effect.all(
          [
            settings.storage.pipe(
              Effect.as("ok"),
              Effect.catchAll((error) => Effect.succeed(`not writable: ${error}`)),
            ),
            botApi,
          ],
          { concurrency: 2 },
        )
        const checks = { storage, botApi: telegram, shutdown: shuttingDown ? "shutting down" : "ok" }
        const failed = Object.entries(checks).filter(([, value]) => value !== "ok")
        const report: ReadinessReport =
          failed.length === 0
            ? { ready: true, checks }
            : { ready: false, reason: failed.map(([name, value]) => `${name}: ${value}`).join("; "), checks }
        return report
      })

      return Readiness.of({ check, markStopping: Ref.set(stopping, true) })
    }),
  )

/** GET /healthz: the process runs. GET /readyz: 200 when ready, else 503 with the reason as JSON. */
export const healthRoutes: ReadonlyArray<Route<Readiness>> = [
  { method: "GET", path: "/healthz", handle: () => Effect.succeed(text(200, "ok")) },
  {
    method: "GET",
    path: "/readyz",
    handle: () =>
      Effect.map(Readiness, (readiness) => readiness.check).pipe(
        Effect.flatten,
        Effect.map((report) =>
          report.ready
            ? json(200, { status: "ready", checks: report.checks })
            : json(503, { status: "not ready", reason: report.reason, checks: report.checks }),
        ),
      ),
  },
]

/**
 * The HTTP server for health, metrics (and whatever routes features add). When the scope closes
 * for shutdown, readiness turns 503 first; the server then keeps answering for `drainMillis` so a
 * load balancer sees it, and closes.
 */
export const serveOperations = <R>(options: {
  readonly port: number
  readonly host?: string
  readonly routes: ReadonlyArray<Route<R>>
  readonly drainMillis?: number
}) =>
  Effect.gen(function* () {
    const readiness = yield* Readiness
    const server = yield* serveHttp<R | Readiness>({
      port: options.port,
      ...(options.host === undefined ? {} : { host: options.host }),
      routes: [...healthRoutes, ...options.routes],
    })
    yield* Effect.addFinalizer(() =>
      readiness.markStopping.pipe(Effect.zipRight(Effect.sleep(Duration.millis(options.drainMillis ?? 0)))),
    )
    return server
  })
