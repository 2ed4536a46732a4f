import { Context, Effect, Either, Layer, Option } from "effect"
import { BroadcastStore } from "../../application/ports/broadcast-store.ts"
import { EnrolmentStore } from "../../application/ports/enrolment-store.ts"
import { FlagStore } from "../../application/ports/flag-store.ts"
import { type OrderNotFound, OrderStore } from "../../application/ports/order-store.ts"
import { Enrolment, enrolOutcome } from "../../domain/enrolment.ts"
import { acceptReceipt, Order } from "../../domain/order.ts"
import type { UserId } from "../../domain/student.ts"
import { noFlags, StudentFlags } from "../../domain/student-flags.ts"
import { codec, LOCKS } from "./codec.ts"
import { Database, forget, makeQueries, prefetched, type Transaction } from "./database.ts"
import { makeBroadcastRecords } from "./postgres-broadcasts.ts"

const enrolmentCodec = codec(Enrolment, "enrolment")
const orderCodec = codec(Order, "order")
const flagsCodec = codec(StudentFlags, "flags")

type Tx = Transaction

const orderNotFound: OrderNotFound = { _tag: "OrderNotFound" }

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
    Effect.zipLeft(
      db.transact(operation, async (tx) => {
        await tx`insert into student_flags (user_id, record)
        values (${userId}, ${tx.json(flagsCodec.encode(noFlags(userId)))}) on conflict do nothing`
        const [row] = await tx`select record from student_flags where user_id = ${userId} for update`
        const { result, next } = change(row === undefined ? noFlags(userId) : flagsCodec.decode(row.record))
        if (next !== undefined)
          await tx`update student_flags set record = ${tx.json(flagsCodec.encode(next))} where user_id = ${userId}`
        return result
      }),
      forget("flags", userId),
    )

  const flags = FlagStore.of({
    get: (userId) =>
      Effect.flatMap(prefetched("flags", userId), (pre) =>
        pre !== undefined
          ? Effect.sync(() => (pre === null ? noFlags(userId) : flagsCodec.decode(pre.record)))
          : db
              .query("flags", (sql) => sql`select record from student_flags where user_id = ${userId}`)
              .pipe(
                Effect.map((rows) =>
                  rows[0] === undefined ? noFlags(userId) : flagsCodec.decode(rows[0].record),
                ),
              ),
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
