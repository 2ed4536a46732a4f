import { Effect, Layer, Option, Redacted } from "effect"
import { writeRefusal } from "../../application/ports/storage-error.ts"
import { StorageHealth } from "../../application/ports/storage-health.ts"
import { ProcessInbox } from "../../application/ports/update-inbox.ts"
import { HousekeepingLive } from "../common/housekeeping.ts"
import { ReadinessLive } from "../http/health-routes.ts"
import { Metrics } from "../metrics/metrics.ts"
import { Database, DatabaseLive, type DatabaseSettings, probeDatabase, trafficOf } from "./database.ts"
import { ReplicaQueues } from "./inbox.ts"
import { PostgresDraftStore } from "./postgres-draft-store.ts"
import { PostgresRecords } from "./postgres-records.ts"
import { PostgresStudentDirectory, PostgresStudentRepository } from "./postgres-student-repository.ts"
import { PostgresUpdateJournal } from "./postgres-update-journal.ts"

/**
 * StorageHealth that counts and logs failed writes but never refuses up front: for PostgreSQL, whose own
 * disk is the database's to watch (a write it refuses for a full disk still gets the "storage is full" answer).
 */
export const CountingStorageHealth = Layer.effect(
  StorageHealth,
  Effect.map(Metrics, (metrics) =>
    StorageHealth.of({
      failing: Effect.succeed(false),
      writeFailed: (operation, error) =>
        Effect.suspend(() => {
          metrics.storageWriteFailed(operation, writeRefusal(error) ?? "other")
          return Effect.logError(`could not write (${operation})`, error.detail)
        }),
    }),
  ),
)

/** The pool's statements and transactions in /metrics (bot_database_statements_total, …_transactions_total). */
const DatabaseMetrics = Layer.effectDiscard(
  Effect.gen(function* () {
    const { sql } = yield* Database
    const metrics = yield* Metrics
    metrics.observeDatabase(() => trafficOf(sql))
  }),
)

export type PostgresStorageOptions = {
  /** Names this process in `updates.handled_by`. */
  readonly replica: string
  readonly draftMaxAgeDays: number
  readonly cleanupIntervalSeconds: number
}

/**
 * Every storage port on PostgreSQL, over one pool (migrated when it opens). No student cache here, unlike files: another replica may change a student at any time, and a cached copy
 * would hide it. Each replica runs the same idempotent cleanup.
 */
export const postgresStorage = (settings: DatabaseSettings, options: PostgresStorageOptions) => {
  const database = DatabaseLive(settings)
  return {
    ports: Layer.mergeAll(
      PostgresStudentRepository,
      PostgresStudentDirectory,
      PostgresDraftStore({ maxAgeDays: options.draftMaxAgeDays }),
      PostgresRecords,
      PostgresUpdateJournal,
      CountingStorageHealth,
      DatabaseMetrics,
      // the replicas' inbox is their queue (below), not an inbox of this process
      Layer.succeed(ProcessInbox, Option.none()),
    ).pipe(Layer.provide(Layer.merge(database, HousekeepingLive(options.cleanupIntervalSeconds)))),
    // Webhook mode: the replicas share their updates through the database. Updates handled at once: each
    // holds a connection; two more are held for good (the replica's and the broadcasts' advisory locks) and
    // two stay free for webhook requests and the rest.
    replicaQueues: ReplicaQueues({
      replica: options.replica,
      maxInFlight: Math.max(1, settings.poolSize - 4),
    }).pipe(Layer.provide(database)),
    // The same layer value: built once, so readiness probes the pool the ports use.
    readiness: Layer.unwrapEffect(Effect.map(probeDatabase, (storage) => ReadinessLive({ storage }))).pipe(
      Layer.provide(database),
    ),
  }
}

/** What must never reach a log line: the URL and, on its own, its password. */
export const databaseSecrets = (url: Redacted.Redacted<string>): ReadonlyArray<string> => {
  const text = Redacted.value(url)
  const password = URL.canParse(text) ? decodeURIComponent(new URL(text).password) : ""
  return password === "" ? [text] : [text, password]
}
