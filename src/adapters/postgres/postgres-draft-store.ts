import { Effect, Layer, Option, Schema } from "effect"
import { Conversation, DraftStore } from "../../application/ports/draft-store.ts"
import { StorageError } from "../../application/ports/student-repository.ts"
import type { UserId } from "../../domain/student.ts"
import { Housekeeping } from "../storage/housekeeping.ts"
import { Database, makeQueries } from "./database.ts"

const encode = Schema.encodeSync(Conversation)
const decode = Schema.decodeUnknownEither(Conversation)

/** Conversations in the `drafts` table, one row per student, as JSON. */
export const makePostgresDraftStore = Effect.gen(function* () {
  const { sql } = yield* Database
  const db = makeQueries(sql)
  return DraftStore.of({
    get: (id: UserId) =>
      db
        .query("read draft", (sql) => sql`select conversation from drafts where user_id = ${id}`)
        .pipe(
          Effect.flatMap((rows) => {
            if (rows[0] === undefined) return Effect.succeed(Option.none<Conversation>())
            const decoded = decode(rows[0].conversation)
            return decoded._tag === "Right"
              ? Effect.succeed(Option.some(decoded.right))
              : Effect.fail(
                  new StorageError({
                    operation: "decode draft",
                    detail: `draft ${id}: ${decoded.left.message}`,
                  }),
                )
          }),
        ),
    put: (id: UserId, conversation: Conversation) =>
      db
        .query(
          "write draft",
          (sql) => sql`insert into drafts (user_id, conversation, updated_at)
          values (${id}, ${sql.json(encode(conversation))}, now())
          on conflict (user_id) do update set conversation = excluded.conversation, updated_at = now()`,
        )
        .pipe(Effect.asVoid),
    remove: (id: UserId) =>
      db.query("remove draft", (sql) => sql`delete from drafts where user_id = ${id}`).pipe(Effect.asVoid),
  })
})

/** Removes drafts untouched for `maxAgeDays`; returns how many. Every replica may run it: it is idempotent. */
export const removeStaleDrafts = (maxAgeDays: number) =>
  Effect.gen(function* () {
    const { sql } = yield* Database
    const db = makeQueries(sql)
    const removed = yield* db.query(
      "remove stale drafts",
      (sql) => sql`delete from drafts where updated_at < now() - make_interval(days => ${maxAgeDays})`,
    )
    if (removed.count > 0)
      yield* Effect.logInfo(`removed ${removed.count} drafts untouched for ${maxAgeDays} days`)
    return removed.count
  })

/** The draft store, with its cleanup registered with housekeeping. */
export const PostgresDraftStore = (options: { readonly maxAgeDays: number }) =>
  Layer.effect(
    DraftStore,
    Effect.gen(function* () {
      const database = yield* Database
      yield* (yield* Housekeeping).register(
        "stale drafts",
        removeStaleDrafts(options.maxAgeDays).pipe(Effect.provideService(Database, database)),
      )
      return yield* makePostgresDraftStore
    }),
  )
