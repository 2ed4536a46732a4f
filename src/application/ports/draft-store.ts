import { Context, type Effect, type Option, Schema } from "effect"
import { RegistrationDraft } from "../../domain/registration.ts"
import type { UserId } from "../../domain/student.ts"
import type { StorageError } from "./student-repository.ts"

/** A registration or edit in progress, and the message that holds its live buttons. */
export const Conversation = Schema.Struct({
  draft: RegistrationDraft,
  prompt: Schema.optionalWith(Schema.Number, { exact: true }),
})
export type Conversation = typeof Conversation.Type

/** Where unfinished registrations and edits wait for the student's next answer. */
export class DraftStore extends Context.Tag("DraftStore")<
  DraftStore,
  {
    readonly get: (id: UserId) => Effect.Effect<Option.Option<Conversation>, StorageError>
    readonly put: (id: UserId, conversation: Conversation) => Effect.Effect<void, StorageError>
    readonly remove: (id: UserId) => Effect.Effect<void, StorageError>
  }
>() {}
