import { hostname } from "node:os"
import { Effect, Layer, Option, Redacted } from "effect"
import { VegaChartRenderer } from "./adapters/charts/vega-renderer.ts"
import { MeteredBot, MeteredBotApi } from "./adapters/decorators/metered.ts"
import { RateLimitedBot } from "./adapters/decorators/rate-limited.ts"
import { SpanMetrics } from "./adapters/decorators/span-metrics.ts"
import { ShopFromFile } from "./adapters/files/catalog-file.ts"
import { FileRecords } from "./adapters/files/file-records.ts"
import { FileStorage } from "./adapters/files/file-storage.ts"
import { FileUpdateJournal } from "./adapters/files/file-update-journal.ts"
import { fileStorageReady, StorageHealthLive, StorageWatch } from "./adapters/files/storage-health.ts"
import { probeDirectory, Readiness, ReadinessLive, serveOperations } from "./adapters/http/health-routes.ts"
import { metricsRoute } from "./adapters/http/metrics-route.ts"
import { TslogLogging, wantsJson } from "./adapters/logging/logger.ts"
import { PerformanceLogLive } from "./adapters/logging/performance-log.ts"
import { MetricsLive } from "./adapters/metrics/metrics.ts"
import { databaseSecrets, postgresStorage } from "./adapters/postgres/postgres-storage.ts"
import { compactHeapAfterStart } from "./adapters/system/heap.ts"
import { RandomIds, randomId } from "./adapters/system/ids.ts"
import { runMain } from "./adapters/system/run-main.ts"
import { BotApiProbeLive } from "./adapters/telegram/bot-api.ts"
import { makeDelivery } from "./adapters/telegram/delivery.ts"
import { TelegramMessenger } from "./adapters/telegram/messenger.ts"
import { BotApiLive } from "./adapters/telegram/resilient-bot-api.ts"
import { InProcessQueues } from "./adapters/telegram/scheduler.ts"
import { AnnouncementsLive } from "./application/admin/announcements.ts"
import { BotLive } from "./application/bot.ts"
import { BroadcastRunnerLive } from "./application/broadcast/broadcast.ts"
import { Admins } from "./application/ports/admins.ts"
import { StorageHealth } from "./application/ports/storage-health.ts"
import { ProcessInbox } from "./application/ports/update-inbox.ts"
import { startUp } from "./application/start-up.ts"
import { webhookAddress } from "./config.ts"
import { prepareLaunch } from "./launch.ts"

const { settings, playground, layout } = await prepareLaunch()

const Playground = playground?.PlaygroundLive({ adminIds: settings.adminIds, usersDir: settings.usersDir })
const PlaygroundPage: Layer.Layer<never> = Playground ?? Layer.empty

const BotApiLayer = MeteredBotApi.pipe(
  Layer.provide(
    playground === undefined || Playground === undefined
      ? BotApiLive({ token: Option.getOrThrow(settings.botToken), apiRoot: settings.apiRoot })
      : playground.PlaygroundBotApi.pipe(Layer.provide(Playground)),
  ),
)

// STORAGE=postgres: every storage port on one PostgreSQL pool, the journal of handled updates included;
// otherwise files in USERS_DIR (records in USERS_DIR/records), the journal in USERS_DIR/.journal.
const AdminsLayer = Layer.succeed(Admins, { ids: settings.adminIds })
// Files: the data directories' writes are watched, so that a full disk is answered, not met with silence.
const Health = StorageHealthLive({
  directories: [
    ["USERS_DIR", layout.usersDir],
    [Option.isSome(settings.recordsDir) ? "RECORDS_DIR" : "USERS_DIR (records)", layout.recordsDir],
  ],
}).pipe(Layer.provide(Layer.merge(TelegramMessenger, AdminsLayer)))
const storage =
  settings.storage.kind === "postgres"
    ? postgresStorage(settings.storage, {
        replica: `${hostname()}:${process.pid}:${randomId(6)}`,
        draftMaxAgeDays: settings.draftMaxAgeDays,
        cleanupIntervalSeconds: settings.cleanupIntervalSeconds,
      })
    : {
        ports: Layer.mergeAll(
          FileUpdateJournal.pipe(
            Layer.provideMerge(
              FileStorage({
                directory: settings.usersDir,
                cache: { ttlSeconds: settings.cacheTtlSeconds, maxEntries: settings.cacheMaxEntries },
                draftMaxAgeDays: settings.draftMaxAgeDays,
                cleanupIntervalSeconds: settings.cleanupIntervalSeconds,
              }),
            ),
          ),
          FileRecords(layout.recordsDir),
          Health,
        ),
        // The same layer value as in the ports: readiness reads the watch the bot reports to.
        readiness: Layer.unwrapEffect(
          Effect.map(StorageWatch, (watch) =>
            ReadinessLive({ storage: fileStorageReady(watch, probeDirectory(settings.usersDir)) }),
          ),
        ).pipe(Layer.provide(Health)),
      }

const BasePorts = Layer.mergeAll(
  TelegramMessenger,
  storage.ports,
  RandomIds,
  ShopFromFile({
    catalogFile: settings.catalogFile,
    cardNumber: settings.paymentCardNumber,
    payeeName: settings.paymentPayeeName,
  }),
  AdminsLayer,
  VegaChartRenderer,
)

// Background work of the classes and admin tools: broadcasts (resumed at start) and registration notices.
const Ports = Layer.mergeAll(
  BroadcastRunnerLive(settings.broadcastPerSecond),
  AnnouncementsLive(settings.announceIntervalSeconds),
).pipe(Layer.provideMerge(BasePorts))

// Decorators wrap the Bot as layers, outermost first: measure everything, then limit floods.
const DecoratedBot = MeteredBot.pipe(
  Layer.provide(
    RateLimitedBot({
      perMinute: settings.maxRequestsPerMinute,
      burst: settings.rateLimitBurst,
      exempt: settings.adminIds,
    }).pipe(Layer.provide(BotLive)),
  ),
)

const Observability = Layer.mergeAll(SpanMetrics, PerformanceLogLive(settings.cleanupIntervalSeconds)).pipe(
  Layer.provideMerge(MetricsLive({ processMetrics: true })),
)

// Webhook mode needs the token (the secret path and header are derived from it); the playground polls.
const webhook = Option.flatMap(settings.botToken, (token) =>
  Option.map(webhookAddress(settings), (base) => ({ base, token })),
)

// Webhook updates on PostgreSQL go through the database's inbox, which the replicas share; otherwise this
// process handles its updates with its own per-chat scheduler.
const Queues =
  "replicaQueues" in storage && Option.isSome(webhook)
    ? storage.replicaQueues
    : InProcessQueues({ maxInFlight: settings.maxUpdatesInFlight })

const AppLayer = Layer.mergeAll(
  DecoratedBot.pipe(Layer.provideMerge(Ports)),
  Queues.pipe(Layer.provide(Ports)),
  storage.readiness.pipe(Layer.provide(BotApiProbeLive)),
).pipe(Layer.provideMerge(BotApiLayer), Layer.provideMerge(Observability), Layer.merge(PlaygroundPage))

const Logging = TslogLogging({
  level: settings.logLevel,
  json: wantsJson(settings.logFormat, process.env.NODE_ENV),
  colors: process.stdout.isTTY === true,
  dir: layout.logDir,
  secrets: [
    ...[...Option.toArray(settings.botToken), ...Option.toArray(settings.paymentCardNumber)].map(
      Redacted.value,
    ),
    ...(settings.storage.kind === "postgres" ? databaseSecrets(settings.storage.url) : []),
  ],
})

const program = Effect.gen(function* () {
  if (settings.storage.kind === "files")
    for (const warning of layout.warnings) yield* Effect.logWarning(warning)
  // With files, updates are stored in USERS_DIR/.journal on receipt (the inbox), in both modes.
  const received = yield* ProcessInbox
  const delivery = yield* makeDelivery({
    ...Option.match(received, { onNone: () => ({}), onSome: (store) => ({ inbox: store }) }),
    webhook,
    onWriteFailed: (yield* StorageHealth).writeFailed,
    maxInFlight: settings.maxUpdatesInFlight,
    shutdownSeconds: settings.shutdownTimeoutSeconds,
  })
  const page = playground === undefined ? { routes: [] } : yield* playground.playgroundServer
  const server = yield* serveOperations({
    port: settings.port,
    ...page,
    routes: [metricsRoute, ...delivery.routes, ...page.routes],
  })
  yield* Effect.logInfo(`http server listening on port ${server.port}`)
  if (playground !== undefined) yield* playground.announcePlayground(server.port, settings.usersDir)
  const started = yield* startUp()
  // Start-up work is over once the student index is built (in the background, with files): then compact.
  yield* Effect.forkScoped(Effect.zipRight(started, compactHeapAfterStart))
  yield* delivery.run((yield* Readiness).markStopping)
}).pipe(Effect.scoped)

runMain(program.pipe(Effect.provide(AppLayer), Effect.provide(Logging)), (error) =>
  typeof error === "object" && error !== null && "reason" in error ? String(error.reason) : String(error),
)
