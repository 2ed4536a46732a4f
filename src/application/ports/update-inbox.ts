import { Context, type Effect } from "effect"
import type { StorageError } from "./storage-error.ts"

/** An update as the messenger sent it, with the messenger's id for it. */
export type ReceivedUpdate = { readonly id: number; readonly raw: unknown }

/**
 * Updates stored for good on receipt, before the messenger is told they arrived: one that a crash
 * catches before it is handled is handled after the restart (the UpdateJournal says which were handled).
 */
export class UpdateInbox extends Context.Tag("UpdateInbox")<
  UpdateInbox,
  {
    /**
     * Stores the updates not stored yet, all in one durable write; resolves once they survive a crash.
     * Answers the ones that were new.
     */
    readonly store: (
      updates: ReadonlyArray<ReceivedUpdate>,
    ) => Effect.Effect<ReadonlyArray<ReceivedUpdate>, StorageError>
    /** Updates an earlier run stored and did not handle (a crash, or a stop), oldest id first: for start-up. */
    readonly unhandled: Effect.Effect<ReadonlyArray<ReceivedUpdate>, StorageError>
    /** Forgets handled updates received before `cutoff`; answers how many were forgotten. */
    readonly prune: (cutoff: Date) => Effect.Effect<number, StorageError>
  }
>() {}
