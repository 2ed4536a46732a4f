import { Context, type Effect, Schema } from "effect"
import type { Reply } from "../../domain/reply.ts"

export class MessengerError extends Schema.TaggedError<MessengerError>()("MessengerError", {
  method: Schema.String,
  detail: Schema.String,
  /** The messenger's own error code, when it gave one (Telegram: HTTP-like codes). */
  code: Schema.optionalWith(Schema.Number, { exact: true }),
  /** Seconds the messenger asked us to wait before sending again (Telegram's 429). */
  retryAfter: Schema.optionalWith(Schema.Number, { exact: true }),
}) {}

/** A file the bot makes, e.g. a CSV export. */
export type OutgoingDocument = {
  readonly fileName: string
  readonly content: Uint8Array
  readonly mimeType: string
}

export type Command = { readonly command: string; readonly description: string }

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
    /** Shows a photo the messenger already has (e.g. a student's receipt) in another chat. */
    readonly sendPhoto: (
      chat: ChatId,
      fileId: string,
      caption?: string,
    ) => Effect.Effect<MessageId, MessengerError>
    /** Uploads a picture the bot made (a chart) and shows it as a photo. */
    readonly sendImage: (
      chat: ChatId,
      image: OutgoingDocument,
      caption?: string,
    ) => Effect.Effect<MessageId, MessengerError>
    readonly sendDocument: (
      chat: ChatId,
      document: OutgoingDocument,
      caption?: string,
    ) => Effect.Effect<MessageId, MessengerError>
    /** Like send, but never repeated after a failure that may have delivered it: a message that must not arrive twice. */
    readonly broadcast: (chat: ChatId, reply: Reply) => Effect.Effect<MessageId, MessengerError>
    /** The command menu: for everyone, or (with `chat`) for one chat, e.g. an admin's. */
    readonly setCommands: (
      commands: ReadonlyArray<Command>,
      chat?: ChatId,
    ) => Effect.Effect<void, MessengerError>
  }
>() {}
