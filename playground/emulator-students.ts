import { asUser, type ChatState, type ChatStore, messageFile, type NewMessage } from "./emulator-chats.ts"
import type {
  CallbackAnswer,
  CallbackQuery,
  Contact,
  FakeUser,
  Message,
  Update,
  User,
} from "./emulator-types.ts"

export type MessageUpdate = Update & { readonly message: Message }
export type CallbackUpdate = Update & { readonly callback_query: CallbackQuery }

export type StudentContext = {
  readonly bot: User
  readonly now: () => number
  readonly chats: ChatStore
  readonly callbackAnswers: Map<string, Array<CallbackAnswer>>
  readonly pushUpdate: <T extends object>(body: T) => Update & T
}

/** Stand-in image bytes: a JPEG's start and end markers around a label. */
const fakeImage = (label: string): Uint8Array =>
  new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode(label), 0xff, 0xd9])

const commandEntities = (text: string) => {
  const command = /^\/[A-Za-z0-9_]{1,32}(?:@\w+)?/.exec(text)?.[0]
  return command === undefined ? [] : [{ type: "bot_command", offset: 0, length: command.length }]
}

/** What students do in Telegram, turned into the updates Telegram would create. */
export const createStudents = (context: StudentContext) => {
  const { bot, now, chats, callbackAnswers, pushUpdate } = context
  const users = new Map<number, FakeUser>()
  let queryCount = 0

  const setBlocked = (state: ChatState, user: FakeUser, blocked: boolean) => {
    state.blocked = blocked
    const member = { user: bot, status: "member" }
    const kicked = { user: bot, status: "kicked", until_date: 0 }
    pushUpdate({
      my_chat_member: {
        chat: state.chat,
        from: asUser(user),
        date: Math.floor(now() / 1000),
        old_chat_member: blocked ? member : kicked,
        new_chat_member: blocked ? kicked : member,
      },
    })
  }

  /** The student's private chat; writing again after blocking the bot unblocks it, as "Restart" does. */
  const remember = (user: FakeUser): ChatState => {
    users.set(user.id, user)
    const state = chats.openPrivate(user)
    if (state.blocked) setBlocked(state, user, false)
    return state
  }

  const say = (user: FakeUser, message: Omit<NewMessage, "sender" | "from">): MessageUpdate => {
    const stored = chats.add(remember(user), { ...message, sender: "user", from: asUser(user) })
    return pushUpdate({ message: stored.telegram })
  }

  const privateState = (userId: number, action: string): { state: ChatState; user: FakeUser } => {
    const state = chats.find(userId)
    const user = users.get(userId)
    if (state === undefined || user === undefined)
      throw new Error(`${action}: user ${userId} never wrote to the bot`)
    return { state, user }
  }

  return {
    /** Makes a student known (as if they had started the bot earlier) without sending an update. */
    registerUser: (user: FakeUser): void => {
      users.set(user.id, user)
      chats.openPrivate(user)
    },
    /** Makes a group the bot is a member of (e.g. an admins' group) reachable by chat_id. */
    registerGroup: (group: {
      readonly id: number
      readonly title: string
      readonly type?: "group" | "supergroup"
    }) => {
      chats.openGroup(group)
    },

    /** A text message; a leading "/command" gets its bot_command entity. */
    sendText: (user: FakeUser, text: string): MessageUpdate =>
      say(user, { kind: "text", text, entities: commandEntities(text) }),

    /** A shared contact; pass user_id (= user.id) for the "share my number" button, leave it out for a forwarded card. */
    sendContact: (
      user: FakeUser,
      contact: {
        readonly phone_number: string
        readonly user_id?: number
        readonly first_name?: string
        readonly last_name?: string
      },
    ): MessageUpdate => {
      const shared: Contact = { ...contact, first_name: contact.first_name ?? user.first_name }
      return say(user, { kind: "contact", contact: shared, media: { contact: shared } })
    },

    /** A photo in two sizes; file_unique_id (if given) goes on the largest, which is last as in Telegram. */
    sendPhoto: (
      user: FakeUser,
      photo: {
        readonly file_unique_id?: string
        readonly caption?: string
        readonly content?: Uint8Array
      } = {},
    ): MessageUpdate => {
      const content = photo.content ?? fakeImage(`photo from ${user.id} at ${now()}`)
      const large = chats.storeFile("photos", content, {
        mime_type: "image/jpeg",
        ...(photo.file_unique_id === undefined ? {} : { file_unique_id: photo.file_unique_id }),
      })
      const small = chats.storeFile("photos", fakeImage("thumbnail"), {
        mime_type: "image/jpeg",
        file_unique_id: `${large.file_unique_id}-thumb`,
      })
      const size = (file: typeof large, width: number, height: number) => ({
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        width,
        height,
        file_size: file.size,
      })
      return say(user, {
        kind: "photo",
        text: photo.caption,
        file: messageFile(large),
        media: { photo: [size(small, 90, 68), size(large, 1280, 960)] },
      })
    },

    /** A document (e.g. a PDF receipt). */
    sendDocument: (
      user: FakeUser,
      document: {
        readonly file_name?: string
        readonly mime_type?: string
        readonly content?: Uint8Array
        readonly caption?: string
        readonly file_unique_id?: string
      } = {},
    ): MessageUpdate => {
      const file_name = document.file_name ?? "receipt.pdf"
      const mime_type = document.mime_type ?? "application/pdf"
      const stored = chats.storeFile(
        "documents",
        document.content ?? new TextEncoder().encode("%PDF-1.4\n%%EOF\n"),
        {
          file_name,
          mime_type,
          ...(document.file_unique_id === undefined ? {} : { file_unique_id: document.file_unique_id }),
        },
      )
      return say(user, {
        kind: "document",
        text: document.caption,
        file: messageFile(stored),
        media: {
          document: {
            file_id: stored.file_id,
            file_unique_id: stored.file_unique_id,
            file_name,
            mime_type,
            file_size: stored.size,
          },
        },
      })
    },

    sendSticker: (user: FakeUser, emoji = "👍"): MessageUpdate => {
      const stored = chats.storeFile("stickers", fakeImage("sticker"), { mime_type: "image/webp" })
      const sticker = {
        file_id: stored.file_id,
        file_unique_id: stored.file_unique_id,
        type: "regular" as const,
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji,
        file_size: stored.size,
      }
      return say(user, { kind: "sticker", file: messageFile(stored), media: { sticker } })
    },

    /**
     * Presses an inline button of a bot message (in the user's private chat unless chatId says otherwise).
     * Throws when no such button is on screen; forge impossible presses with pushRawUpdate.
     */
    pressButton: (
      user: FakeUser,
      messageId: number,
      callbackData: string,
      where: { readonly chatId?: number } = {},
    ): CallbackUpdate => {
      const chatId = where.chatId ?? user.id
      const message = chats.find(chatId)?.messages.find((candidate) => candidate.message_id === messageId)
      if (message === undefined || message.deleted) {
        throw new Error(`pressButton: no message ${messageId} in chat ${chatId}`)
      }
      const buttons =
        message.reply_markup !== undefined && "inline_keyboard" in message.reply_markup
          ? message.reply_markup.inline_keyboard.flat()
          : []
      if (!buttons.some((button) => button.callback_data === callbackData)) {
        const shown = buttons.map((button) => JSON.stringify(button.callback_data ?? button.url)).join(", ")
        throw new Error(
          `pressButton: message ${messageId} has no button "${callbackData}" (it has: ${shown || "none"})`,
        )
      }
      if (chatId === user.id) remember(user)
      else users.set(user.id, user)
      const id = `emu-query-${++queryCount}`
      callbackAnswers.set(id, [])
      return pushUpdate({
        callback_query: {
          id,
          from: asUser(user),
          message: message.telegram,
          chat_instance: `emu-instance-${chatId}`,
          data: callbackData,
        },
      })
    },

    /** The student blocks the bot: sends to them answer 403, and a my_chat_member update says "kicked". */
    blockBot: (userId: number): void => {
      const { state, user } = privateState(userId, "blockBot")
      if (!state.blocked) setBlocked(state, user, true)
    },
    unblockBot: (userId: number): void => {
      const { state, user } = privateState(userId, "unblockBot")
      if (state.blocked) setBlocked(state, user, false)
    },
  }
}
