import { Context, type Effect } from "effect"
import type { UserId } from "../../domain/student.ts"
import type { StudentFlags } from "../../domain/student-flags.ts"
import type { StorageError } from "./storage-error.ts"

/** Bans and "blocked the bot" marks, per student; every change durable before it resolves. */
export class FlagStore extends Context.Tag("FlagStore")<
  FlagStore,
  {
    readonly get: (userId: UserId) => Effect.Effect<StudentFlags, StorageError>
    /** False when already banned. */
    readonly ban: (userId: UserId, by: number, at: Date) => Effect.Effect<boolean, StorageError>
    /** False when not banned. */
    readonly unban: (userId: UserId) => Effect.Effect<boolean, StorageError>
    /** True exactly once per ban: whoever gets true sends the one notice. */
    readonly claimBanNotice: (userId: UserId) => Effect.Effect<boolean, StorageError>
    readonly markBlocked: (userId: UserId, at: Date) => Effect.Effect<void, StorageError>
    readonly clearBlocked: (userId: UserId) => Effect.Effect<void, StorageError>
    readonly all: Effect.Effect<ReadonlyArray<StudentFlags>, StorageError>
  }
>() {}
