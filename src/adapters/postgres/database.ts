import { Socket } from "node:net"
import { Context, Effect, FiberRef, Layer, Redacted } from "effect"
import postgres from "postgres"
import type { StorageError } from "../../application/ports/storage-error.ts"
import { attempt } from "../../application/ports/storage-error.ts"
import { migrate } from "./migrations.ts"

export type Sql = postgres.Sql
/** What a query needs: the pool, or the connection of a transaction in progress. */
export type Connection = postgres.ISql
/** A connection inside a transaction: the inbox's own (inbox.ts), or one of `pool.begin`. */
export type Transaction = Connection

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

/** Statements in what postgres.js writes to the server: Execute ('E') and simple Query ('Q') messages. */
const countMessages = (counts: DatabaseTraffic, chunk: unknown) => {
  if (!(chunk instanceof Uint8Array)) return
  const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  // typed messages: a type byte, then the length (itself included); the startup message has no type and ends it
  for (let at = 0; at + 5 <= bytes.length; ) {
    const type = bytes[at]
    const length = bytes.readInt32BE(at + 1)
    if (length < 4 || at + 1 + length > bytes.length) return
    if (type === 0x45) counts.statements++
    else if (type === 0x51) {
      counts.statements++
      if (bytes.toString("latin1", at + 5, at + 10) === "begin") counts.transactions++
    }
    at += 1 + length
  }
}

/** Connects one socket (a Unix socket's path, or a host and port), within `timeoutSeconds`. */
const connectSocket = (
  target: { readonly path: string } | { readonly host: string; readonly port: number },
  timeoutSeconds: number,
) =>
  new Promise<Socket>((resolve, reject) => {
    const socket = new Socket()
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`could not connect to PostgreSQL within ${timeoutSeconds} s`))
    }, timeoutSeconds * 1000)
    socket.once("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    socket.once("connect", () => {
      clearTimeout(timer)
      socket.removeAllListeners("error")
      resolve(socket)
    })
    if ("path" in target) socket.connect(target.path)
    else {
      // what postgres.js sets on a socket of its own (its TLS upgrade names the server by `host`)
      Object.assign(socket, { host: target.host, port: target.port })
      socket.connect(target.port, target.host)
    }
  })

/**
 * A connected socket to the server whose writes are counted (postgres.js's only other hook, `debug`, makes
 * every query capture a stack trace: a cost on every statement). What postgres.js does for a socket of its own
 * is kept: `connect_timeout`, and the hosts of a multi-host URL tried in turn.
 */
const countedSocket =
  (counts: DatabaseTraffic, timeoutSeconds: number) =>
  async (options: {
    readonly host: ReadonlyArray<string>
    readonly port: ReadonlyArray<number>
    readonly path?: string | false
  }): Promise<Socket> => {
    const targets =
      typeof options.path === "string"
        ? [{ path: options.path }]
        : options.host.map((host, index) => ({ host, port: options.port[index] ?? 5432 }))
    let failure: unknown = new Error("no PostgreSQL host to connect to")
    for (const target of targets) {
      const socket = await connectSocket(target, timeoutSeconds).catch((error: unknown) => {
        failure = error
        return undefined
      })
      if (socket === undefined) continue
      // wrapped once connected: connect() puts back the prototype's write
      const write = socket.write.bind(socket) as (...args: Array<unknown>) => boolean
      socket.write = ((chunk: unknown, ...rest: Array<unknown>) => {
        countMessages(counts, chunk)
        return write(chunk, ...rest)
      }) as typeof socket.write
      return socket
    }
    throw failure
  }

/**
 * libpq's way to name a Unix socket, `?host=/var/run/postgresql` (PostgreSQL on the same machine: no TCP),
 * which postgres.js does not read: the socket's path, and the URL without it.
 */
export const unixSocketOf = (text: string): { readonly url: string; readonly socketPath?: string } => {
  if (!URL.canParse(text)) return { url: text }
  const parsed = new URL(text)
  const host = parsed.searchParams.get("host")
  if (host === null || !host.startsWith("/")) return { url: text }
  parsed.searchParams.delete("host")
  return {
    url: parsed.toString(),
    socketPath: `${host}/.s.PGSQL.${parsed.port === "" ? "5432" : parsed.port}`,
  }
}

/** Opens the pool (bigint columns read as numbers: Telegram ids stay below 2^53). */
export const connect = (settings: DatabaseSettings): Sql => {
  const counts: DatabaseTraffic = { statements: 0, transactions: 0 }
  const connectTimeout = 10
  const { url, socketPath } = unixSocketOf(Redacted.value(settings.url))
  const sql = postgres(url, {
    ...(socketPath === undefined ? {} : { path: socketPath }),
    max: settings.poolSize,
    idle_timeout: 60,
    connect_timeout: connectTimeout,
    onnotice: () => undefined,
    types: {
      bigint: { to: 20, from: [20], serialize: (value: number) => String(value), parse: Number },
    },
    // in postgres.js but not in its types
    ...({ socket: countedSocket(counts, connectTimeout) } as object),
  })
  traffic.set(sql, counts)
  return sql
}

/** Runs a query as an Effect: any failure becomes a StorageError naming the operation. */
export const query = attempt

/**
 * The transaction that the current fiber's queries belong to, if any: the handling of one update from the
 * inbox runs in one transaction (src/adapters/postgres/inbox.ts), so its storage changes commit together
 * with the mark that the update was handled, or not at all. `savepoint`: a part of it that is all or nothing.
 */
export type Work = {
  readonly tx: Transaction
  readonly savepoint: <A>(run: (tx: Transaction) => Promise<A>) => Promise<A>
}
export const CurrentTransaction = FiberRef.unsafeMake<Work | undefined>(undefined)

/** Savepoints on `tx`, a connection that is inside a transaction (what postgres.js's begin gives its own). */
export const savepoints = (tx: Transaction): Work => {
  let count = 0
  return {
    tx,
    savepoint: async (run) => {
      const name = `s${++count}`
      await tx.unsafe(`savepoint ${name}`)
      try {
        const result = await run(tx)
        await tx.unsafe(`release savepoint ${name}`)
        return result
      } catch (error) {
        await tx.unsafe(`rollback to savepoint ${name}`)
        throw error
      }
    },
  }
}

/**
 * What the inbox read of the update's student before handling it, in one statement (the draft, the student
 * row, the flags): the stores answer their first read of that student from it instead of a round trip each.
 * A store that writes one of them marks it gone, so a later read in the same update asks the database.
 */
export type Prefetched = {
  readonly userId: number
  draft:
    | { readonly conversation: unknown; readonly handled: unknown; readonly updated_at: unknown }
    | null
    | undefined
  student: Readonly<Record<string, unknown>> | null | undefined
  flags: { readonly record: unknown } | null | undefined
}
export const CurrentPrefetch = FiberRef.unsafeMake<Prefetched | undefined>(undefined)

/**
 * The prefetched row of `part` for `userId`, if this update has it: null when the student has none, undefined
 * when there is no prefetch (or it was written since) — then the store reads.
 */
export const prefetched = <K extends "draft" | "student" | "flags">(
  part: K,
  userId: number,
): Effect.Effect<Prefetched[K] | undefined> =>
  Effect.map(FiberRef.get(CurrentPrefetch), (prefetch) =>
    prefetch !== undefined && prefetch.userId === userId ? prefetch[part] : undefined,
  )

/** A write of `part` for `userId`: the prefetched copy no longer holds. */
export const forget = (part: "draft" | "student" | "flags", userId: number): Effect.Effect<void> =>
  Effect.map(FiberRef.get(CurrentPrefetch), (prefetch) => {
    if (prefetch !== undefined && prefetch.userId === userId) prefetch[part] = undefined
  })

/** Reads the draft, the student row and the flags of `userId` in one statement (inside the transaction `tx`). */
export const prefetch = async (tx: Transaction, userId: number): Promise<Prefetched> => {
  const [row] = await tx`select d.conversation as d_conversation, d.handled as d_handled,
      d.updated_at as d_updated_at, d.user_id as d_user_id, f.record as f_record, f.user_id as f_user_id,
      s.user_id, s.first_name, s.last_name, s.grade, s.major, s.province, s.city, s.phone,
      s.registration_date, s.last_updated
    from (select ${userId}::bigint as id) k
      left join drafts d on d.user_id = k.id
      left join student_flags f on f.user_id = k.id
      left join students s on s.user_id = k.id`
  return {
    userId,
    draft:
      row?.d_user_id == null
        ? null
        : { conversation: row.d_conversation, handled: row.d_handled, updated_at: row.d_updated_at },
    flags: row?.f_user_id == null ? null : { record: row.f_record },
    student:
      row?.user_id == null
        ? null
        : {
            user_id: row.user_id,
            first_name: row.first_name,
            last_name: row.last_name,
            grade: row.grade,
            major: row.major,
            province: row.province,
            city: row.city,
            phone: row.phone,
            registration_date: row.registration_date,
            last_updated: row.last_updated,
          },
  }
}

/** Queries that join the fiber's current transaction when there is one, else take the pool. */
export const makeQueries = (pool: Sql) => ({
  query: <A>(operation: string, run: (sql: Connection) => Promise<A>): Effect.Effect<A, StorageError> =>
    Effect.flatMap(FiberRef.get(CurrentTransaction), (work) => query(operation, () => run(work?.tx ?? pool))),
  /** One transaction (a savepoint inside the current one): all of `run` or nothing. */
  transact: <A>(operation: string, run: (tx: Transaction) => Promise<A>): Effect.Effect<A, StorageError> =>
    Effect.flatMap(FiberRef.get(CurrentTransaction), (work) =>
      query(operation, () => (work === undefined ? pool.begin(run) : work.savepoint(run)) as Promise<A>),
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
