import { Context, Effect, Layer, Redacted } from "effect"
import postgres from "postgres"
import { StorageError } from "../../application/ports/student-repository.ts"
import { migrate } from "./migrations.ts"

export type Sql = postgres.Sql

/** A pool of connections to the PostgreSQL database that holds every storage port's data. */
export class Database extends Context.Tag("Database")<Database, { readonly sql: Sql }>() {}

export type DatabaseSettings = {
  readonly url: Redacted.Redacted<string>
  /** Connections per bot process; several replicas each have their own pool. */
  readonly poolSize: number
}

/** Opens the pool (bigint columns read as numbers: Telegram ids stay below 2^53). */
export const connect = (settings: DatabaseSettings): Sql =>
  postgres(Redacted.value(settings.url), {
    max: settings.poolSize,
    idle_timeout: 60,
    connect_timeout: 10,
    onnotice: () => undefined,
    types: {
      bigint: { to: 20, from: [20], serialize: (value: number) => String(value), parse: Number },
    },
  })

/** Runs a query as an Effect: any failure becomes a StorageError naming the operation. */
export const query = <A>(operation: string, run: () => Promise<A>): Effect.Effect<A, StorageError> =>
  Effect.tryPromise({
    try: run,
    catch: (error) =>
      new StorageError({ operation, detail: error instanceof Error ? error.message : String(error) }),
  })

/** The pool, with the schema migrated to this version before anything uses it; closed with the scope. */
export const DatabaseLive = (settings: DatabaseSettings) =>
  Layer.scoped(
    Database,
    Effect.gen(function* () {
      const sql = yield* Effect.acquireRelease(
        Effect.sync(() => connect(settings)),
        (sql) => Effect.promise(() => sql.end({ timeout: 5 })),
      )
      const applied = yield* query("migrate", () => migrate(sql))
      if (applied.length > 0) yield* Effect.logInfo(`database migrated: ${applied.join(", ")}`)
      return { sql }
    }),
  )

/** Readiness: the database answers a trivial query. */
export const probeDatabase = Effect.gen(function* () {
  const { sql } = yield* Database
  return query("probe", () => sql`select 1`).pipe(
    Effect.asVoid,
    Effect.mapError((error) => error.detail),
  )
})
