import { Effect, Layer, Redacted } from "effect"
import { ReadinessLive } from "../http/health-routes.ts"
import { FileRecords } from "../storage/file-records.ts"
import { DatabaseLive, type DatabaseSettings, probeDatabase } from "./database.ts"
import { PostgresDraftStore } from "./postgres-draft-store.ts"
import { PostgresStudentDirectory, PostgresStudentRepository } from "./postgres-student-repository.ts"

/** Students, directory and drafts on PostgreSQL, over one pool (migrated when it opens). */
export const postgresStorage = (settings: DatabaseSettings, files: { readonly recordsDir: string }) => {
  const database = DatabaseLive(settings)
  return {
    ports: Layer.mergeAll(
      Layer.mergeAll(PostgresStudentRepository, PostgresStudentDirectory, PostgresDraftStore).pipe(
        Layer.provide(database),
      ),
      // Not yet in PostgreSQL: enrolments, orders, flags and broadcasts stay in RECORDS_DIR for now.
      FileRecords(files.recordsDir),
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
