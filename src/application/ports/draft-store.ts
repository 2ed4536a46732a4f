import { Context, type Effect, type Option, Schema } from "effect"
import { RegistrationDraft } from "../../domain/registration-draft.ts"
import type { UserId } from "../../domain/student.ts"
import type { StorageError } from "./storage-error.ts"

/** A registration or edit in progress, and the message that holds its live buttons. */
export const Conversation = Schema.Struct({
  draft: RegistrationDraft,
  prompt: Schema.optionalWith(Schema.Number, { exact: true }),
})
export type Conversation = typeof Conversation.Type

/**
 * The last update whose change the store holds for a chat, and when it was stored: an update delivered
 * again after a crash (its id not above `update`) already did its work, and is skipped.
 */
export type HandledMark = { readonly update: number; readonly at: Date }

/**
 * How long a handled mark is trusted, and kept: Telegram numbers updates in sequence, but after a week
 * without any update it may start again from a random id, which could be below a mark. A mark younger
 * than six days was written less than a week after an update, so the ids since then are in sequence.
 */
export const HANDLED_MARK_TRUSTED_MS = 6 * 24 * 60 * 60 * 1000

/** Whether a mark stored at `at` (epoch ms) is still trusted (and so still worth keeping) at `now`. */
export const markTrusted = (at: number, now: number): boolean => now - at < HANDLED_MARK_TRUSTED_MS

/** Whether `update` already did its work: it is not newer than the chat's trusted mark. */
export const alreadyHandled = (mark: Option.Option<HandledMark>, update: number, now: Date): boolean =>
  mark._tag === "Some" && update <= mark.value.update && markTrusted(mark.value.at.getTime(), now.getTime())

/** What the store holds for one student: the conversation in progress, if any, and the handled mark. */
export type DraftState = {
  readonly conversation: Option.Option<Conversation>
  /** Kept when the conversation ends (finished or cancelled), so that its last update is not replayed either. */
  readonly handled: Option.Option<HandledMark>
}

/**
 * Where unfinished registrations and edits wait for the student's next answer. A change made for an update
 * names it (`handled`, the messenger's update id): the change and the mark are stored in one write, so
 * that a crash leaves either both or neither — the offsets-with-state rule of exactly-once processing.
 */
export class DraftStore extends Context.Tag("DraftStore")<
  DraftStore,
  {
    readonly get: (id: UserId) => Effect.Effect<DraftState, StorageError>
    readonly put: (
      id: UserId,
      conversation: Conversation,
      handled?: number,
    ) => Effect.Effect<void, StorageError>
    readonly remove: (id: UserId, handled?: number) => Effect.Effect<void, StorageError>
  }
>() {}
