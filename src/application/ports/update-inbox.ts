import { Context, type Effect, type Option } from "effect"
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

/**
 * This process's inbox where its storage keeps one (files: USERS_DIR/.journal); none where updates are stored
 * by delivery itself (PostgreSQL in webhook mode, where the replicas' inbox is their queue). Provided by every
 * storage, so that what needs to know asks for it in its type.
 */
export class ProcessInbox extends Context.Tag("ProcessInbox")<
  ProcessInbox,
  Option.Option<UpdateInbox["Type"]>
>() {}
