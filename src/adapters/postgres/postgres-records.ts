import { Context, Effect, Either, Layer, Option, Schema } from "effect"
import { type BroadcastNotFound, BroadcastStore } from "../../application/ports/broadcast-store.ts"
import { EnrolmentStore } from "../../application/ports/enrolment-store.ts"
import { FlagStore } from "../../application/ports/flag-store.ts"
import { type OrderNotFound, OrderStore } from "../../application/ports/order-store.ts"
import { Broadcast, type DeliveryState } from "../../domain/broadcast.ts"
import { Enrolment, enrolOutcome } from "../../domain/enrolment.ts"
import { acceptReceipt, Order } from "../../domain/order.ts"
import { type UserId, UserId as UserIdSchema } from "../../domain/student.ts"
import { noFlags, StudentFlags } from "../../domain/student-flags.ts"
import { Database, makeQueries, query, type Sql, type Transaction } from "./database.ts"

/** Advisory lock namespaces (the first key of the two-key form). */
export const LOCKS = { course: 11, broadcastRunner: 12 } as const

const codec = <A, I>(schema: Schema.Schema<A, I>, what: string) => {
  const encode = Schema.encodeSync(schema)
  const decode = Schema.decodeUnknownEither(schema)
  return {
    encode: (value: A) => encode(value) as never,
    decode: (raw: unknown): A => {
      const decoded = decode(raw)
      if (decoded._tag === "Left") throw new Error(`${what} does not decode: ${decoded.left.message}`)
      return decoded.right
    },
  }
}
const enrolmentCodec = codec(Enrolment, "enrolment")
const orderCodec = codec(Order, "order")
const flagsCodec = codec(StudentFlags, "flags")
const broadcastCodec = codec(Broadcast, "broadcast")

type Tx = Transaction

const orderNotFound: OrderNotFound = { _tag: "OrderNotFound" }
const broadcastNotFound: BroadcastNotFound = { _tag: "BroadcastNotFound" }

/**
 * Enrolments, orders, flags and broadcasts in PostgreSQL. Check-then-write operations hold row locks
 * (`select … for update`) or a per-class advisory lock inside one transaction, so they stay atomic when
 * several replicas act at once: the first of two racing receipt decisions wins everywhere, a class is
 * never over-filled, an image is taken once (unique key).
 */
export const makePostgresRecords = Effect.gen(function* () {
  const { sql } = yield* Database
  const db = makeQueries(sql)

  const enrolments = EnrolmentStore.of({
    enrol: (enrolment, capacity) =>
      db.transact("enrol", async (tx) => {
        await tx`select pg_advisory_xact_lock(${LOCKS.course}, hashtext(${enrolment.courseId}))`
        const seats = await tx`select user_id from enrolments where course_id = ${enrolment.courseId}`
        const outcome = enrolOutcome(
          seats.map((seat) => ({ userId: Number(seat.user_id) })),
          enrolment.userId,
          capacity,
        )
        if (outcome === "Enrolled")
          await tx`insert into enrolments (user_id, course_id, enrolled_at, record) values (${enrolment.userId},
            ${enrolment.courseId}, ${enrolment.enrolledAt}, ${tx.json(enrolmentCodec.encode(enrolment))})`
        return outcome
      }),
    leave: (userId, courseId) =>
      db
        .query(
          "leave",
          (sql) => sql`delete from enrolments where user_id = ${userId} and course_id = ${courseId}`,
        )
        .pipe(Effect.map((result) => result.count > 0)),
    ofStudent: (userId) =>
      db
        .query(
          "enrolments of student",
          (sql) =>
            sql`select record from enrolments where user_id = ${userId} order by enrolled_at, course_id`,
        )
        .pipe(Effect.map((rows) => rows.map((row) => enrolmentCodec.decode(row.record)))),
    seats: (courseId) =>
      db
        .query("seats", (sql) => sql`select count(*)::int as n from enrolments where course_id = ${courseId}`)
        .pipe(Effect.map((rows) => Number(rows[0]?.n ?? 0))),
    all: db
      .query("all enrolments", (sql) => sql`select record from enrolments order by enrolled_at`)
      .pipe(Effect.map((rows) => rows.map((row) => enrolmentCodec.decode(row.record)))),
  })

  const writeOrder = (tx: Tx, order: Order) =>
    tx`update orders set record = ${tx.json(orderCodec.encode(order))} where id = ${order.id}`
  const lockOrder = async (tx: Tx, id: string) => {
    const [row] = await tx`select record from orders where id = ${id} for update`
    return row === undefined ? undefined : orderCodec.decode(row.record)
  }

  const orders = OrderStore.of({
    place: (order) =>
      db
        .query(
          "place order",
          (sql) => sql`insert into orders (id, user_id, created_at, record)
          values (${order.id}, ${order.userId}, ${order.createdAt}, ${sql.json(orderCodec.encode(order))})`,
        )
        .pipe(Effect.asVoid),
    find: (id) =>
      db
        .query("find order", (sql) => sql`select record from orders where id = ${id}`)
        .pipe(
          Effect.map((rows) =>
            Option.map(Option.fromNullable(rows[0]), (row) => orderCodec.decode(row.record)),
          ),
        ),
    ofStudent: (userId) =>
      db
        .query(
          "orders of student",
          (sql) => sql`select record from orders where user_id = ${userId} order by created_at, id`,
        )
        .pipe(Effect.map((rows) => rows.map((row) => orderCodec.decode(row.record)))),
    update: <E>(id: string, change: (order: Order) => Either.Either<Order, E>) =>
      db.transact("update order", async (tx): Promise<Either.Either<Order, E | OrderNotFound>> => {
        const order = await lockOrder(tx, id)
        if (order === undefined) return Either.left(orderNotFound)
        const changed = change(order)
        if (Either.isRight(changed)) await writeOrder(tx, changed.right)
        return changed
      }),
    submitReceipt: (orderId, receipt) =>
      db
        .transact("submit receipt", async (tx) => {
          const order = await lockOrder(tx, orderId)
          if (order === undefined) return Either.left(orderNotFound)
          const [seen] = await tx`select 1 from receipt_images where file_unique_id = ${receipt.fileUniqueId}`
          const accepted = acceptReceipt(order, receipt, seen !== undefined)
          if (Either.isRight(accepted)) {
            // The unique key settles two replicas taking the same image for two orders at once.
            await tx`insert into receipt_images (file_unique_id, order_id) values (${receipt.fileUniqueId}, ${orderId})`
            await writeOrder(tx, accepted.right)
          }
          return accepted
        })
        .pipe(
          Effect.catchIf(
            (error) => error.detail.includes("receipt_images_pkey"),
            () => Effect.succeed(Either.left({ _tag: "DuplicateReceipt" as const })),
          ),
        ),
    all: db
      .query("all orders", (sql) => sql`select record from orders order by created_at, id`)
      .pipe(Effect.map((rows) => rows.map((row) => orderCodec.decode(row.record)))),
  })

  /** Reads a student's flags under a row lock (creating the row), changes them, writes them back. */
  const changeFlags = <A>(
    operation: string,
    userId: UserId,
    change: (flags: StudentFlags) => { readonly result: A; readonly next?: StudentFlags },
  ) =>
    db.transact(operation, async (tx) => {
      await tx`insert into student_flags (user_id, record)
        values (${userId}, ${tx.json(flagsCodec.encode(noFlags(userId)))}) on conflict do nothing`
      const [row] = await tx`select record from student_flags where user_id = ${userId} for update`
      const { result, next } = change(row === undefined ? noFlags(userId) : flagsCodec.decode(row.record))
      if (next !== undefined)
        await tx`update student_flags set record = ${tx.json(flagsCodec.encode(next))} where user_id = ${userId}`
      return result
    })

  const flags = FlagStore.of({
    get: (userId) =>
      db
        .query("flags", (sql) => sql`select record from student_flags where user_id = ${userId}`)
        .pipe(
          Effect.map((rows) => (rows[0] === undefined ? noFlags(userId) : flagsCodec.decode(rows[0].record))),
        ),
    ban: (userId, by, at) =>
      changeFlags("ban", userId, (current) =>
        current.banned !== undefined
          ? { result: false }
          : { result: true, next: { ...current, banned: { at, by, noticeSent: false } } },
      ),
    unban: (userId) =>
      changeFlags("unban", userId, ({ banned, ...rest }) =>
        banned === undefined ? { result: false } : { result: true, next: rest },
      ),
    claimBanNotice: (userId) =>
      changeFlags("claim ban notice", userId, (current) =>
        current.banned === undefined || current.banned.noticeSent
          ? { result: false }
          : { result: true, next: { ...current, banned: { ...current.banned, noticeSent: true } } },
      ),
    markBlocked: (userId, at) =>
      changeFlags("mark blocked", userId, (current) =>
        current.blockedAt !== undefined
          ? { result: undefined }
          : { result: undefined, next: { ...current, blockedAt: at } },
      ),
    clearBlocked: (userId) =>
      changeFlags("clear blocked", userId, ({ blockedAt, ...rest }) =>
        blockedAt === undefined ? { result: undefined } : { result: undefined, next: rest },
      ),
    all: db
      .query(
        "all flags",
        (sql) => sql`select record from student_flags
        where record ? 'banned' or record ? 'blockedAt' order by user_id`,
      )
      .pipe(Effect.map((rows) => rows.map((row) => flagsCodec.decode(row.record)))),
  })

  const broadcasts = yield* makeBroadcastRecords(sql)
  return { enrolments, orders, flags, broadcasts }
})

/**
 * Broadcasts, and per recipient how far the sending got. A recipient is claimed by a unique key, so only
 * one runner ever sends to them. Across replicas, also one runner per broadcast: the
 * replica that confirms a broadcast, or that finds it unfinished at start, takes a session advisory lock
 * on it (on a connection of its own) and only then sends; `sending` lists only what this replica holds,
 * so two replicas never send the same broadcast, and the lock goes with a replica that dies.
 */
const makeBroadcastRecords = (sql: Sql) =>
  Effect.gen(function* () {
    const db = makeQueries(sql)
    const owner = yield* Effect.acquireRelease(
      query("reserve broadcast lock connection", () => sql.reserve()),
      // Back to the pool without the locks (a replica that dies loses its connection, and them, anyway).
      (reserved) =>
        Effect.promise(() => reserved`select pg_advisory_unlock_all()`.catch(() => undefined)).pipe(
          Effect.ensuring(Effect.sync(() => reserved.release())),
        ),
    )
    const held = new Set<string>()
    const own = async (id: string) => {
      if (held.has(id)) return true
      const [row] = await owner`select pg_try_advisory_lock(${LOCKS.broadcastRunner}, hashtext(${id})) as got`
      if (row?.got === true) held.add(id)
      return row?.got === true
    }
    const disown = async (id: string) => {
      if (!held.delete(id)) return
      await owner`select pg_advisory_unlock(${LOCKS.broadcastRunner}, hashtext(${id}))`
    }
    const decodeAll = (rows: ReadonlyArray<{ record?: unknown }>) =>
      rows.map((row) => broadcastCodec.decode(row.record))

    return BroadcastStore.of({
      create: (broadcast) =>
        db
          .query(
            "create broadcast",
            (sql) => sql`insert into broadcasts (id, status, created_at, record) values (${broadcast.id},
            ${broadcast.status}, ${broadcast.createdAt}, ${sql.json(broadcastCodec.encode(broadcast))})`,
          )
          .pipe(Effect.asVoid),
      find: (id) =>
        db
          .query("find broadcast", (sql) => sql`select record from broadcasts where id = ${id}`)
          .pipe(
            Effect.map((rows) =>
              Option.map(Option.fromNullable(rows[0]), (row) => broadcastCodec.decode(row.record)),
            ),
          ),
      update: <E>(id: string, change: (broadcast: Broadcast) => Either.Either<Broadcast, E>) =>
        db
          .transact(
            "update broadcast",
            async (tx): Promise<Either.Either<Broadcast, E | BroadcastNotFound>> => {
              const [row] = await tx`select record from broadcasts where id = ${id} for update`
              if (row === undefined) return Either.left(broadcastNotFound)
              const before = broadcastCodec.decode(row.record)
              const changed = change(before)
              if (Either.isLeft(changed)) return changed
              const after = changed.right
              // The replica that starts the sending owns it before anyone can see it as sending.
              if (after.status === "sending" && before.status !== "sending") await own(id)
              await tx`update broadcasts set status = ${after.status},
            record = ${tx.json(broadcastCodec.encode(after))} where id = ${id}`
              return changed
            },
          )
          .pipe(
            Effect.tap((outcome) =>
              Either.isRight(outcome) && outcome.right.status !== "sending"
                ? query("release broadcast", () => disown(id))
                : Effect.void,
            ),
          ),
      sending: db.query("unfinished broadcasts", async (sql) => {
        const rows = await sql`select id, record from broadcasts where status = 'sending' order by created_at`
        const mine: Array<{ record?: unknown }> = []
        for (const row of rows) if (await own(String(row.id))) mine.push(row)
        return decodeAll(mine)
      }),
      claim: (id, userId) =>
        db
          .query(
            "claim recipient",
            (sql) => sql`insert into broadcast_deliveries (broadcast_id, user_id, state)
              values (${id}, ${userId}, 'claimed') on conflict (broadcast_id, user_id) do nothing returning user_id`,
          )
          .pipe(Effect.map((rows) => rows.length === 1)),
      record: (id, deliveries) =>
        deliveries.length === 0
          ? Effect.void
          : db
              .query(
                "record deliveries",
                (sql) =>
                  sql`insert into broadcast_deliveries ${sql(
                    deliveries.map(({ userId, state }) => ({ broadcast_id: id, user_id: userId, state })),
                  )} on conflict (broadcast_id, user_id) do update set state = excluded.state`,
              )
              .pipe(Effect.asVoid),
      deliveries: (id) =>
        db
          .query(
            "deliveries",
            (sql) => sql`select user_id, state from broadcast_deliveries where broadcast_id = ${id}`,
          )
          .pipe(
            Effect.map(
              (rows) =>
                new Map(
                  rows.map(
                    (row) => [UserIdSchema.make(Number(row.user_id)), row.state as DeliveryState] as const,
                  ),
                ),
            ),
          ),
      all: db
        .query("all broadcasts", (sql) => sql`select record from broadcasts order by created_at`)
        .pipe(Effect.map(decodeAll)),
    })
  })

/** The four record ports on PostgreSQL. */
export const PostgresRecords = Layer.scopedContext(
  Effect.map(makePostgresRecords, (stores) =>
    Context.make(EnrolmentStore, stores.enrolments).pipe(
      Context.add(OrderStore, stores.orders),
      Context.add(FlagStore, stores.flags),
      Context.add(BroadcastStore, stores.broadcasts),
    ),
  ),
)
