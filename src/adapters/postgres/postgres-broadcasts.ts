import { Effect, Either, Option } from "effect"
import type { BroadcastNotFound } from "../../application/ports/broadcast-store.ts"
import { BroadcastStore } from "../../application/ports/broadcast-store.ts"
import { Broadcast, type DeliveryState } from "../../domain/broadcast.ts"
import { UserId as UserIdSchema } from "../../domain/student.ts"
import { codec, LOCKS } from "./codec.ts"
import { makeQueries, query, type Sql } from "./database.ts"

const broadcastCodec = codec(Broadcast, "broadcast")
const broadcastNotFound: BroadcastNotFound = { _tag: "BroadcastNotFound" }

/**
 * Broadcasts, and per recipient how far the sending got. A recipient is claimed by a unique key, so only
 * one runner ever sends to them. Across replicas, also one runner per broadcast: the
 * replica that confirms a broadcast, or that finds it unfinished at start, takes a session advisory lock
 * on it (on a connection of its own) and only then sends; `sending` lists only what this replica holds,
 * so two replicas never send the same broadcast, and the lock goes with a replica that dies.
 */
export const makeBroadcastRecords = (sql: Sql) =>
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
