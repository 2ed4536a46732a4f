import { Effect, Layer } from "effect"
import { UpdateJournal } from "../../application/ports/update-journal.ts"
import { Housekeeping } from "../common/housekeeping.ts"
import { pruneJournal } from "../common/journal-pruning.ts"
import { Database, makeQueries } from "./database.ts"

/**
 * Handled update ids in the `updates` table (polling mode: one process polls, as Telegram allows). The
 * primary key is what refuses a second handling; in webhook mode with several replicas the inbox
 * (inbox.ts) writes the same table before handling.
 */
export const makePostgresUpdateJournal = Effect.gen(function* () {
  const { sql } = yield* Database
  const db = makeQueries(sql)
  return UpdateJournal.of({
    has: (updateId) =>
      db
        .query(
          "read update journal",
          (sql) => sql`select 1 from updates where update_id = ${updateId} and handled_at is not null`,
        )
        .pipe(Effect.map((rows) => rows.length > 0)),
    record: (updateId) =>
      db
        .query(
          "record handled update",
          (sql) => sql`insert into updates (update_id, chat_key, handled_at, attempts)
            values (${updateId}, '', now(), 1)
            on conflict (update_id) do update set handled_at = coalesce(updates.handled_at, now())`,
        )
        .pipe(Effect.asVoid),
    prune: (cutoff) =>
      db
        .query("prune update journal", (sql) => sql`delete from updates where handled_at < ${cutoff}`)
        .pipe(Effect.map((result) => result.count)),
  })
})

/** The journal, its old entries pruned by housekeeping (every replica may: it is idempotent). */
export const PostgresUpdateJournal = Layer.effect(
  UpdateJournal,
  Effect.gen(function* () {
    const journal = yield* makePostgresUpdateJournal
    yield* (yield* Housekeeping).register("update journal", pruneJournal(journal))
    return journal
  }),
)
