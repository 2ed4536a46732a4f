import { Context, type Effect, Schema } from "effect"
import type { Reply } from "../../domain/reply.ts"

export class MessengerError extends Schema.TaggedError<MessengerError>()("MessengerError", {
  method: Schema.String,
  detail: Schema.String,
  /** The messenger's own error code, when it gave one (Telegram: HTTP-like codes). */
  code: Schema.optionalWith(Schema.Number, { exact: true }),
}) {}

export type ChatId = number
export type MessageId = number

/** How the bot talks to students. */
export class Messenger extends Context.Tag("Messenger")<
  Messenger,
  {
    readonly send: (chat: ChatId, reply: Reply) => Effect.Effect<MessageId, MessengerError>
    /** Replaces a message's text and buttons. */
    readonly edit: (chat: ChatId, message: MessageId, reply: Reply) => Effect.Effect<void, MessengerError>
    /** Takes the buttons off an older message so they cannot be pressed again. */
    readonly clearButtons: (chat: ChatId, message: MessageId) => Effect.Effect<void, MessengerError>
    /** Stops a pressed button's spinner, optionally with a short notice. */
    readonly answerButton: (queryId: string, notice?: string) => Effect.Effect<void, MessengerError>
  }
>() {}
