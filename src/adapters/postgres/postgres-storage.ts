import { Effect, Layer, Redacted } from "effect"
import { ReadinessLive } from "../http/health-routes.ts"
import { FileRecords } from "../storage/file-records.ts"
import { HousekeepingLive } from "../storage/housekeeping.ts"
import { DatabaseLive, type DatabaseSettings, probeDatabase } from "./database.ts"
import { PostgresDraftStore } from "./postgres-draft-store.ts"
import { PostgresStudentDirectory, PostgresStudentRepository } from "./postgres-student-repository.ts"

/** Students, directory and drafts on PostgreSQL, over one pool (migrated when it opens). */
export type PostgresStorageOptions = {
  readonly recordsDir: string
  readonly draftMaxAgeDays: number
  readonly cleanupIntervalSeconds: number
}

/**
 * No student cache here, unlike files: another replica may change a student at any time, and a cached copy
 * would hide it. Each replica runs the same idempotent cleanup.
 */
export const postgresStorage = (settings: DatabaseSettings, options: PostgresStorageOptions) => {
  const database = DatabaseLive(settings)
  return {
    ports: Layer.mergeAll(
      Layer.mergeAll(
        PostgresStudentRepository,
        PostgresStudentDirectory,
        PostgresDraftStore({ maxAgeDays: options.draftMaxAgeDays }),
      ).pipe(Layer.provide(Layer.merge(database, HousekeepingLive(options.cleanupIntervalSeconds)))),
      // Not yet in PostgreSQL: enrolments, orders, flags and broadcasts stay in RECORDS_DIR for now.
      FileRecords(options.recordsDir),
    ),
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
