import { Duration, Effect } from "effect"
import type { UpdateInbox } from "../../application/ports/update-inbox.ts"
import type { UpdateJournal } from "../../application/ports/update-journal.ts"

/** Telegram keeps an undelivered update for 24 hours; a day more covers a long outage of the bot. */
export const JOURNAL_RETENTION = Duration.hours(48)

/**
 * Forgets handled updates older than JOURNAL_RETENTION; what one run forgot is logged. With an inbox,
 * it is pruned first and with the same cutoff: an update leaves the inbox while the journal still says
 * it was handled, so an inbox entry is never taken for unhandled because its journal entry is gone.
 */
export const pruneJournal = (journal: UpdateJournal["Type"], inbox?: UpdateInbox["Type"]) =>
  Effect.gen(function* () {
    const cutoff = new Date(Date.now() - Duration.toMillis(JOURNAL_RETENTION))
    if (inbox !== undefined) {
      const dropped = yield* inbox.prune(cutoff)
      if (dropped > 0) yield* Effect.logDebug(`update inbox: ${dropped} old entries pruned`)
    }
    const forgotten = yield* journal.prune(cutoff)
    if (forgotten > 0) yield* Effect.logDebug(`update journal: ${forgotten} old entries pruned`)
  }).pipe(Effect.catchAll((error) => Effect.logWarning("could not prune the update journal", error.detail)))
