import { Duration, Effect } from "effect"
import { UpdateJournal } from "../../application/ports/update-journal.ts"

/** Telegram keeps an undelivered update for 24 hours; a day more covers a long outage of the bot. */
export const JOURNAL_RETENTION = Duration.hours(48)

/** Forgets handled updates older than JOURNAL_RETENTION; what one run forgot is logged. */
export const pruneJournal = Effect.gen(function* () {
  const journal = yield* UpdateJournal
  const forgotten = yield* journal.prune(new Date(Date.now() - Duration.toMillis(JOURNAL_RETENTION)))
  if (forgotten > 0) yield* Effect.logDebug(`update journal: ${forgotten} old entries pruned`)
}).pipe(Effect.catchAll((error) => Effect.logWarning("could not prune the update journal", error.detail)))
