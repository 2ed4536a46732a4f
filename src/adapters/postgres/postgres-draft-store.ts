import { Effect, Layer, Option, Schema } from "effect"
import {
  Conversation,
  type DraftState,
  DraftStore,
  HANDLED_MARK_TRUSTED_MS,
} from "../../application/ports/draft-store.ts"
import { StorageError } from "../../application/ports/storage-error.ts"
import type { UserId } from "../../domain/student.ts"
import { Housekeeping } from "../common/housekeeping.ts"
import { Database, forget, makeQueries, prefetched } from "./database.ts"

const encode = Schema.encodeSync(Conversation)
const decode = Schema.decodeUnknownEither(Conversation)

/** Conversations in the `drafts` table, one row per student, as JSON, with the student's handled mark. */
export const makePostgresDraftStore = Effect.gen(function* () {
  const { sql } = yield* Database
  const db = makeQueries(sql)
  /** A drafts row (or none) as the port's answer. */
  const fromRow = (
    id: UserId,
    row:
      | { readonly conversation: unknown; readonly handled: unknown; readonly updated_at: unknown }
      | undefined,
  ): Effect.Effect<DraftState, StorageError> => {
    if (row === undefined) return Effect.succeed({ conversation: Option.none(), handled: Option.none() })
    const handled: DraftState["handled"] =
      row.handled === null
        ? Option.none()
        : Option.some({ update: Number(row.handled), at: new Date(row.updated_at as string | Date) })
    if (row.conversation === null) return Effect.succeed({ conversation: Option.none(), handled })
    const decoded = decode(row.conversation)
    return decoded._tag === "Right"
      ? Effect.succeed({ conversation: Option.some(decoded.right), handled })
      : Effect.fail(
          new StorageError({
            operation: "decode draft",
            detail: `draft ${id}: ${decoded.left.message}`,
          }),
        )
  }

  return DraftStore.of({
    get: (id: UserId) =>
      Effect.flatMap(prefetched("draft", id), (pre) =>
        pre !== undefined
          ? fromRow(id, pre ?? undefined)
          : db
              .query(
                "read draft",
                (sql) =>
                  sql<
                    Array<{ conversation: unknown; handled: unknown; updated_at: unknown }>
                  >`select conversation, handled, updated_at from drafts where user_id = ${id}`,
              )
              .pipe(Effect.flatMap((rows) => fromRow(id, rows[0]))),
      ),
    put: (id: UserId, conversation: Conversation, handled?: number) =>
      db
        .query(
          "write draft",
          (sql) => sql`insert into drafts (user_id, conversation, handled, updated_at)
          values (${id}, ${sql.json(encode(conversation))}, ${handled ?? null}, now())
          on conflict (user_id) do update set conversation = excluded.conversation,
            handled = coalesce(excluded.handled, drafts.handled), updated_at = now()`,
        )
        .pipe(Effect.zipRight(forget("draft", id))),
    // with a mark, the row stays without its conversation: the mark outlives the draft
    remove: (id: UserId, handled?: number) =>
      (handled === undefined
        ? db.query("remove draft", (sql) => sql`delete from drafts where user_id = ${id}`)
        : db.query(
            "remove draft",
            (sql) => sql`insert into drafts (user_id, conversation, handled, updated_at)
            values (${id}, null, ${handled}, now())
            on conflict (user_id) do update set conversation = null, handled = excluded.handled, updated_at = now()`,
          )
      ).pipe(Effect.zipRight(forget("draft", id))),
  })
})

/** Removes drafts untouched for `maxAgeDays`; returns how many. Every replica may run it: it is idempotent. */
export const removeStaleDrafts = (maxAgeDays: number) =>
  Effect.gen(function* () {
    const { sql } = yield* Database
    const db = makeQueries(sql)
    const removed = yield* db.query(
      "remove stale drafts",
      (sql) => sql`delete from drafts where updated_at < now() - make_interval(days => ${maxAgeDays})
        or (conversation is null and updated_at < now() - make_interval(secs => ${HANDLED_MARK_TRUSTED_MS / 1000}))`,
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
