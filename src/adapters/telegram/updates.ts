import { Either, Schema } from "effect"
import type { Incoming, StudentEvent } from "../../application/common/incoming.ts"
import { UserId } from "../../domain/student.ts"

const User = Schema.Struct({
  id: Schema.Number,
  is_bot: Schema.optional(Schema.Boolean),
  first_name: Schema.String,
  last_name: Schema.optional(Schema.String),
  username: Schema.optional(Schema.String),
})

const Chat = Schema.Struct({ id: Schema.Number, type: Schema.String })

const PhotoSize = Schema.Struct({ file_id: Schema.String, file_unique_id: Schema.String })

export const Message = Schema.Struct({
  message_id: Schema.Number,
  from: Schema.optional(User),
  chat: Chat,
  date: Schema.Number,
  text: Schema.optional(Schema.String),
  contact: Schema.optional(
    Schema.Struct({
      phone_number: Schema.String,
      first_name: Schema.optional(Schema.String),
      user_id: Schema.optional(Schema.Number),
    }),
  ),
  photo: Schema.optional(Schema.Array(PhotoSize)),
})
export type Message = typeof Message.Type

const CallbackQuery = Schema.Struct({
  id: Schema.String,
  from: User,
  message: Schema.optional(Schema.Struct({ message_id: Schema.Number, chat: Chat })),
  data: Schema.optional(Schema.String),
})

/** The parts of a Telegram Update this bot reads; other kinds decode to an update with neither field. */
export const Update = Schema.Struct({
  update_id: Schema.Number,
  message: Schema.optional(Message),
  callback_query: Schema.optional(CallbackQuery),
})
export type Update = typeof Update.Type

/** Only update_id is needed to move the offset past an update that does not decode. */
export const updateIdOf = (raw: unknown): number | undefined =>
  typeof raw === "object" && raw !== null && "update_id" in raw && typeof raw.update_id === "number"
    ? raw.update_id
    : undefined

export const ALLOWED_UPDATES = ["message", "callback_query"] as const

export const decodeUpdate = Schema.decodeUnknownEither(Update)

const commandOf = (text: string): StudentEvent | undefined => {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text.trim())
  return match
    ? { _tag: "Command", name: (match[1] ?? "").toLowerCase(), argument: match[2]?.trim() ?? "" }
    : undefined
}

const eventOf = (message: Message): StudentEvent => {
  if (message.text !== undefined) return commandOf(message.text) ?? { _tag: "Text", text: message.text }
  if (message.contact !== undefined) {
    return { _tag: "Contact", phone: message.contact.phone_number, contactUserId: message.contact.user_id }
  }
  const largest = message.photo?.at(-1)
  if (largest !== undefined)
    return { _tag: "Photo", fileId: largest.file_id, fileUniqueId: largest.file_unique_id }
  return { _tag: "Unsupported" }
}

const nameOf = (user: typeof User.Type | undefined): { readonly name?: string } => {
  const name = [user?.first_name, user?.last_name].filter(Boolean).join(" ").trim()
  return name === "" ? {} : { name }
}

/** Private-chat messages and button presses become Incoming; anything else is not for this bot. */
export const toIncoming = (update: Update): Incoming | undefined => {
  const { message, callback_query: query } = update
  if (message !== undefined) {
    const userId = Schema.decodeUnknownEither(UserId)(message.from?.id)
    if (message.chat.type !== "private" || Either.isLeft(userId) || message.from?.is_bot) return undefined
    return {
      userId: userId.right,
      chatId: message.chat.id,
      event: eventOf(message),
      updateId: update.update_id,
      ...nameOf(message.from),
    }
  }
  if (query !== undefined) {
    const userId = Schema.decodeUnknownEither(UserId)(query.from.id)
    if (Either.isLeft(userId)) return undefined
    return {
      ...nameOf(query.from),
      userId: userId.right,
      updateId: update.update_id,
      chatId: query.message?.chat.id ?? query.from.id,
      event: {
        _tag: "Button",
        data: query.data ?? "",
        queryId: query.id,
        message: query.message?.message_id ?? 0,
      },
    }
  }
  return undefined
}

/** The chat an update belongs to, for ordering; undefined when it has none we serve. */
export const chatOf = (update: Update): number | undefined =>
  update.message?.chat.id ?? update.callback_query?.message?.chat.id ?? update.callback_query?.from.id
