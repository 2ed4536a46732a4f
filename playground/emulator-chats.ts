import { isInlineKeyboard } from "./emulator-markup.ts"
import { badRequest, type Params, readInteger, readString } from "./emulator-params.ts"
import type {
  Chat,
  ChatMessage,
  FakeUser,
  Message,
  MessageFile,
  MessageVersion,
  ReplyKeyboardMarkup,
  User,
} from "./emulator-types.ts"

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** Media fields exactly as Telegram puts them on a Message. */
export type Media = Pick<Message, "photo" | "document" | "sticker" | "contact" | "forward_origin">

export type StoredMessage = Omit<Mutable<ChatMessage>, "history"> & {
  history: Array<MessageVersion>
  media: Media
  editDate: number | undefined
}

export type ChatState = {
  chat: Chat
  readonly messages: Array<StoredMessage>
  /** Message ids are per chat and shared by the student's and the bot's messages, as in Telegram. */
  nextMessageId: number
  replyKeyboard: ReplyKeyboardMarkup | undefined
  blocked: boolean
}

export type StoredFile = {
  readonly file_id: string
  readonly file_unique_id: string
  readonly file_path: string
  readonly size: number
  readonly content: Uint8Array
  readonly file_name: string | undefined
  readonly mime_type: string | undefined
}

export type NewMessage = Pick<ChatMessage, "sender" | "from" | "kind"> &
  Partial<
    Pick<ChatMessage, "text" | "plainText" | "parse_mode" | "entities" | "reply_markup" | "file" | "contact">
  > & {
    readonly media?: Media
  }

export const toTelegramMessage = (message: StoredMessage, chat: Chat): Message => {
  const { plainText, entities } = message
  const body =
    plainText === undefined
      ? {}
      : message.kind === "text"
        ? { text: plainText, ...(entities.length > 0 ? { entities } : {}) }
        : { caption: plainText, ...(entities.length > 0 ? { caption_entities: entities } : {}) }
  return {
    message_id: message.message_id,
    from: message.from,
    chat,
    date: message.date,
    ...(message.editDate === undefined ? {} : { edit_date: message.editDate }),
    ...body,
    ...message.media,
    ...(isInlineKeyboard(message.reply_markup) ? { reply_markup: message.reply_markup } : {}),
  }
}

const chatOf = (user: FakeUser): Chat => ({
  id: user.id,
  type: "private",
  first_name: user.first_name,
  ...(user.last_name === undefined ? {} : { last_name: user.last_name }),
  ...(user.username === undefined ? {} : { username: user.username }),
})

export const asUser = ({ id, ...names }: FakeUser): User => ({ id, is_bot: false, ...names })

/** Chats, their messages and the files anyone sent, as Telegram keeps them. */
export const createChatStore = (now: () => number) => {
  const chats = new Map<number, ChatState>()
  const files = new Map<string, StoredFile>()
  let fileCount = 0

  const open = (chat: Chat): ChatState => {
    const known = chats.get(chat.id)
    if (known !== undefined) {
      known.chat = chat
      return known
    }
    const state: ChatState = {
      chat,
      messages: [],
      nextMessageId: 1,
      replyKeyboard: undefined,
      blocked: false,
    }
    chats.set(chat.id, state)
    return state
  }

  const find = (chatId: number): ChatState | undefined => chats.get(chatId)

  return {
    /** A student who has started the bot: the bot may now write to them. */
    openPrivate: (user: FakeUser): ChatState => open(chatOf(user)),
    openChat: open,
    openGroup: (group: {
      readonly id: number
      readonly title: string
      readonly type?: "group" | "supergroup"
    }) => open({ id: group.id, type: group.type ?? "supergroup", title: group.title }),
    find,

    /** The chat named by chat_id (an id, or "@username" of a known chat); else "chat not found". */
    require: (params: Params, key = "chat_id"): ChatState => {
      const id = readInteger(params, key)
      const name = readString(params, key)
      const state =
        id !== undefined
          ? chats.get(id)
          : [...chats.values()].find(
              (candidate) => name !== undefined && `@${candidate.chat.username}` === name,
            )
      if (state !== undefined) return state
      throw badRequest(name === undefined || name === "" ? "chat_id is empty" : "chat not found")
    },

    add: (state: ChatState, message: NewMessage): StoredMessage => {
      const stored: StoredMessage = {
        message_id: state.nextMessageId++,
        chatId: state.chat.id,
        sender: message.sender,
        from: message.from,
        kind: message.kind,
        date: Math.floor(now() / 1000),
        text: message.text,
        plainText: message.plainText ?? message.text,
        parse_mode: message.parse_mode,
        entities: message.entities ?? [],
        reply_markup: message.reply_markup,
        edits: 0,
        history: [],
        deleted: false,
        file: message.file,
        contact: message.contact,
        media: message.media ?? {},
        editDate: undefined,
        telegram: { message_id: 0, chat: state.chat, date: 0 },
      }
      stored.telegram = toTelegramMessage(stored, state.chat)
      state.messages.push(stored)
      return stored
    },

    refresh: (message: StoredMessage) => {
      const state = chats.get(message.chatId)
      if (state !== undefined) message.telegram = toTelegramMessage(message, state.chat)
    },

    storeFile: (
      folder: "photos" | "documents" | "stickers",
      content: Uint8Array,
      details: {
        readonly file_unique_id?: string
        readonly file_name?: string
        readonly mime_type?: string
      } = {},
    ): StoredFile => {
      fileCount++
      const extension = folder === "photos" ? ".jpg" : folder === "stickers" ? ".webp" : ""
      const file: StoredFile = {
        file_id: `emu-${folder}-${fileCount}`,
        file_unique_id: details.file_unique_id ?? `emu-unique-${fileCount}`,
        file_path: `${folder}/file_${fileCount}${extension || (/\.[\w]+$/.exec(details.file_name ?? "")?.[0] ?? "")}`,
        size: content.byteLength,
        content,
        file_name: details.file_name,
        mime_type: details.mime_type,
      }
      files.set(file.file_id, file)
      return file
    },

    file: (fileId: string): StoredFile | undefined => files.get(fileId),
    fileAt: (path: string): StoredFile | undefined =>
      [...files.values()].find((file) => file.file_path === path),
  }
}

export type ChatStore = ReturnType<typeof createChatStore>

export const messageFile = (file: StoredFile): MessageFile => ({
  file_id: file.file_id,
  file_unique_id: file.file_unique_id,
  file_name: file.file_name,
  mime_type: file.mime_type,
  size: file.size,
  content: file.content,
  url: undefined,
})
