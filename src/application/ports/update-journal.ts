import { Context, type Effect } from "effect"
import type { StorageError } from "./storage-error.ts"

/**
 * Which incoming updates were already handled, so that one the messenger delivers again (after a crash
 * or restart) is not handled twice. Keyed by the messenger's own update id; entries only need to outlive
 * the messenger's redelivery window, so old ones are pruned.
 */
export class UpdateJournal extends Context.Tag("UpdateJournal")<
  UpdateJournal,
  {
    readonly has: (updateId: number) => Effect.Effect<boolean, StorageError>
    /** Resolves only once the entry is stored for good (it survives a crash from then on). */
    readonly record: (updateId: number) => Effect.Effect<void, StorageError>
    /** Forgets entries recorded before `cutoff`; answers how many were forgotten. */
    readonly prune: (cutoff: Date) => Effect.Effect<number, StorageError>
  }
>() {}
