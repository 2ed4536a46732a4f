/** Bot API shapes the emulator produces (trimmed to what a bot reads), and the emulator's own records. */

export type User = {
  readonly id: number
  readonly is_bot: boolean
  readonly first_name: string
  readonly last_name?: string
  readonly username?: string
  readonly language_code?: string
}

/** A student (or admin) the tests act as. */
export type FakeUser = {
  readonly id: number
  readonly first_name: string
  readonly last_name?: string
  readonly username?: string
  readonly language_code?: string
}

export type Chat = {
  readonly id: number
  readonly type: "private" | "group" | "supergroup" | "channel"
  readonly title?: string
  readonly first_name?: string
  readonly last_name?: string
  readonly username?: string
}

export type MessageEntity = {
  readonly type: string
  readonly offset: number
  readonly length: number
  readonly url?: string
  readonly language?: string
  readonly user?: { readonly id: number }
}

export type PhotoSize = {
  readonly file_id: string
  readonly file_unique_id: string
  readonly width: number
  readonly height: number
  readonly file_size: number
}

export type Document = {
  readonly file_id: string
  readonly file_unique_id: string
  readonly file_name?: string
  readonly mime_type?: string
  readonly file_size: number
}

export type Sticker = {
  readonly file_id: string
  readonly file_unique_id: string
  readonly type: "regular"
  readonly width: number
  readonly height: number
  readonly is_animated: boolean
  readonly is_video: boolean
  readonly emoji?: string
  readonly file_size: number
}

export type Contact = {
  readonly phone_number: string
  readonly first_name: string
  readonly last_name?: string
  readonly user_id?: number
}

export type InlineKeyboardButton = {
  readonly text: string
  readonly callback_data?: string
  readonly url?: string
  readonly [field: string]: unknown
}

export type KeyboardButton = {
  readonly text: string
  readonly request_contact?: boolean
  readonly request_location?: boolean
  readonly [field: string]: unknown
}

export type InlineKeyboardMarkup = {
  readonly inline_keyboard: ReadonlyArray<ReadonlyArray<InlineKeyboardButton>>
}

export type ReplyKeyboardMarkup = {
  readonly keyboard: ReadonlyArray<ReadonlyArray<KeyboardButton>>
  readonly resize_keyboard?: boolean
  readonly one_time_keyboard?: boolean
  readonly is_persistent?: boolean
  readonly input_field_placeholder?: string
  readonly selective?: boolean
}

export type ReplyMarkup =
  | InlineKeyboardMarkup
  | ReplyKeyboardMarkup
  | { readonly remove_keyboard: true; readonly selective?: boolean }
  | { readonly force_reply: true; readonly input_field_placeholder?: string; readonly selective?: boolean }

export type Message = {
  readonly message_id: number
  readonly from?: User
  readonly chat: Chat
  readonly date: number
  readonly edit_date?: number
  readonly text?: string
  readonly entities?: ReadonlyArray<MessageEntity>
  readonly caption?: string
  readonly caption_entities?: ReadonlyArray<MessageEntity>
  readonly photo?: ReadonlyArray<PhotoSize>
  readonly document?: Document
  readonly sticker?: Sticker
  readonly contact?: Contact
  readonly reply_markup?: InlineKeyboardMarkup
  readonly forward_origin?: {
    readonly type: string
    readonly date: number
    readonly [field: string]: unknown
  }
}

export type CallbackQuery = {
  readonly id: string
  readonly from: User
  readonly message?: Message
  readonly chat_instance: string
  readonly data?: string
}

/** One update; the key next to update_id names its kind (message, callback_query, my_chat_member...). */
export type Update = {
  readonly update_id: number
  readonly message?: Message
  readonly edited_message?: Message
  readonly callback_query?: CallbackQuery
  readonly [kind: string]: unknown
}

/** A file the bot uploaded with multipart/form-data. */
export type UploadedFile = {
  readonly file_name: string
  readonly mime_type: string
  readonly size: number
  readonly content: Uint8Array
}

/** A file attached to a chat message: uploaded bytes, a re-sent file_id, or a URL for Telegram to fetch. */
export type MessageFile = {
  readonly file_id: string
  readonly file_unique_id: string
  readonly file_name: string | undefined
  readonly mime_type: string | undefined
  readonly size: number
  /** The bytes (a Buffer under Node when the bot uploaded them); undefined when sent by URL. */
  readonly content: Uint8Array | undefined
  readonly url: string | undefined
}

export type MessageVersion = {
  readonly text: string | undefined
  readonly plainText: string | undefined
  readonly parse_mode: string | undefined
  readonly entities: ReadonlyArray<MessageEntity>
  readonly reply_markup: ReplyMarkup | undefined
  readonly at: number
}

/** A message in a chat as the student sees it now: after edits, possibly deleted. */
export type ChatMessage = {
  readonly message_id: number
  readonly chatId: number
  readonly sender: "bot" | "user"
  readonly from: User
  readonly kind: "text" | "photo" | "document" | "sticker" | "contact"
  readonly date: number
  /** Text or caption exactly as sent, markup included. */
  readonly text: string | undefined
  /** What the student reads: the text with its HTML parsed away. */
  readonly plainText: string | undefined
  readonly parse_mode: string | undefined
  readonly entities: ReadonlyArray<MessageEntity>
  readonly reply_markup: ReplyMarkup | undefined
  readonly edits: number
  /** Earlier versions, oldest first; the current one is the message itself. */
  readonly history: ReadonlyArray<MessageVersion>
  readonly deleted: boolean
  readonly file: MessageFile | undefined
  readonly contact: Contact | undefined
  /** The message as Telegram serialises it now (what getUpdates or a Bot API result would carry). */
  readonly telegram: Message
}

export type FaultKind = "400" | "403" | "429" | "500" | "502" | "401" | "409" | "reset" | "delay"

/** A failure served to the next matching call(s), oldest first; no method = any method. */
export type Fault =
  | { readonly kind: "429"; readonly retryAfter: number; readonly method?: string; readonly times?: number }
  | { readonly kind: "500" | "502" | "401" | "409"; readonly method?: string; readonly times?: number }
  | {
      readonly kind: "400" | "403"
      /** Telegram's text after "Bad Request: " / "Forbidden: ", e.g. "message is not modified". */
      readonly description?: string
      readonly method?: string
      readonly times?: number
    }
  | {
      readonly kind: "reset"
      readonly method?: string
      readonly times?: number
      /** Run the method first, then drop the connection: the bot cannot know it succeeded. */
      readonly afterProcessing?: boolean
    }
  | { readonly kind: "delay"; readonly ms: number; readonly method?: string; readonly times?: number }

/** One Bot API call the bot made, with what it was answered. */
export type ApiCall = {
  readonly method: string
  readonly params: Readonly<Record<string, unknown>>
  readonly at: number
  /** The envelope sent back; undefined when the connection was reset before answering. */
  readonly response: unknown
  readonly status: number | undefined
  readonly fault: FaultKind | undefined
  readonly via: "http" | "webhook-reply"
}

export type CallbackAnswer = {
  readonly text: string | undefined
  readonly show_alert: boolean
  /** False when Telegram would have refused it (already answered). */
  readonly accepted: boolean
  readonly at: number
}

export type WebhookDelivery = {
  readonly update_id: number
  readonly attempt: number
  readonly status: number | undefined
  readonly error: string | undefined
  readonly at: number
}

export type WebhookInfo = {
  readonly url: string
  readonly has_custom_certificate: boolean
  readonly pending_update_count: number
  readonly max_connections?: number
  readonly allowed_updates?: ReadonlyArray<string>
  readonly last_error_date?: number
  readonly last_error_message?: string
}

export type EmulatorEvent =
  | { readonly type: "call"; readonly call: ApiCall }
  | { readonly type: "update"; readonly update: Update }
  | { readonly type: "webhook"; readonly delivery: WebhookDelivery }
  /** A getUpdates call arrived (it is recorded as a "call" only once answered, which a long poll delays). */
  | { readonly type: "poll"; readonly at: number }
