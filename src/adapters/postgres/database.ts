import { Context, Effect, FiberRef, Layer, Redacted } from "effect"
import postgres from "postgres"
import type { StorageError } from "../../application/ports/storage-error.ts"
import { attempt } from "../../application/ports/storage-error.ts"
import { migrate } from "./migrations.ts"

export type Sql = postgres.Sql
/** What a query needs: the pool, or the connection of a transaction in progress. */
export type Connection = postgres.ISql
export type Transaction = postgres.TransactionSql

/** A pool of connections to the PostgreSQL database that holds every storage port's data. */
export class Database extends Context.Tag("Database")<Database, { readonly sql: Sql }>() {}

export type DatabaseSettings = {
  readonly url: Redacted.Redacted<string>
  /** Connections per bot process; several replicas each have their own pool. */
  readonly poolSize: number
}

/** What a pool has sent: statements (each one a round trip), and of them the transactions begun. */
export type DatabaseTraffic = { statements: number; transactions: number }
const traffic = new WeakMap<Sql, DatabaseTraffic>()

/** The statements and transactions `sql` has sent since it opened (for the metrics and the bench). */
export const trafficOf = (sql: Sql): DatabaseTraffic => traffic.get(sql) ?? { statements: 0, transactions: 0 }

/** Opens the pool (bigint columns read as numbers: Telegram ids stay below 2^53). */
export const connect = (settings: DatabaseSettings): Sql => {
  const counts: DatabaseTraffic = { statements: 0, transactions: 0 }
  const sql = postgres(Redacted.value(settings.url), {
    max: settings.poolSize,
    idle_timeout: 60,
    connect_timeout: 10,
    onnotice: () => undefined,
    types: {
      bigint: { to: 20, from: [20], serialize: (value: number) => String(value), parse: Number },
    },
    debug: (_connection, query) => {
      counts.statements++
      if (query.startsWith("begin")) counts.transactions++
    },
  })
  traffic.set(sql, counts)
  return sql
}

/** Runs a query as an Effect: any failure becomes a StorageError naming the operation. */
export const query = attempt

/**
 * The transaction that the current fiber's queries belong to, if any: the handling of one update from the
 * inbox runs in one transaction (src/adapters/postgres/inbox.ts), so its storage changes commit together
 * with the mark that the update was handled, or not at all.
 */
export const CurrentTransaction = FiberRef.unsafeMake<Transaction | undefined>(undefined)

/** Queries that join the fiber's current transaction when there is one, else take the pool. */
export const makeQueries = (pool: Sql) => ({
  query: <A>(operation: string, run: (sql: Connection) => Promise<A>): Effect.Effect<A, StorageError> =>
    Effect.flatMap(FiberRef.get(CurrentTransaction), (tx) => query(operation, () => run(tx ?? pool))),
  /** One transaction (a savepoint inside the current one): all of `run` or nothing. */
  transact: <A>(operation: string, run: (tx: Transaction) => Promise<A>): Effect.Effect<A, StorageError> =>
    Effect.flatMap(FiberRef.get(CurrentTransaction), (tx) =>
      query(operation, () => (tx === undefined ? pool.begin(run) : tx.savepoint(run)) as Promise<A>),
    ),
})
export type Queries = ReturnType<typeof makeQueries>

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
