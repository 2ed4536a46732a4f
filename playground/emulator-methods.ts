import type { ChatState, ChatStore, NewMessage, StoredMessage } from "./emulator-chats.ts"
import { mediaOf, readFile } from "./emulator-files.ts"
import { type FormattedText, formatText } from "./emulator-formatting.ts"
import { canonicalJson, isInlineKeyboard, readReplyMarkup } from "./emulator-markup.ts"
import {
  ApiError,
  badRequest,
  type Params,
  readBoolean,
  readInteger,
  readJson,
  readString,
} from "./emulator-params.ts"
import type { CallbackAnswer, ReplyMarkup, User } from "./emulator-types.ts"
import type { UpdateFeed } from "./emulator-updates.ts"

export type MethodContext = {
  readonly bot: User
  readonly now: () => number
  readonly chats: ChatStore
  readonly feed: UpdateFeed
  /** Answers given to each callback query the emulator created, keyed by query id. */
  readonly callbackAnswers: Map<string, Array<CallbackAnswer>>
  /** setMyCommands lists, keyed by scope and language. */
  readonly commands: Map<string, ReadonlyArray<BotCommand>>
}

export type BotCommand = { readonly command: string; readonly description: string }

export type Method = (params: Params, signal: AbortSignal | undefined) => unknown

const notModified =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
const queryTooOld = "query is too old and response timeout expired or query ID is invalid"

type TextRules = { readonly max: number; readonly tooLong: string; readonly empty?: string }

const format = (raw: string, parseMode: string | undefined, rules: TextRules): FormattedText => {
  if (rules.empty !== undefined && raw.trim() === "") throw badRequest(rules.empty)
  const result = formatText(raw, parseMode)
  if (!result.ok) throw new ApiError(400, result.description)
  if (rules.empty !== undefined && result.value.text.trim() === "") throw badRequest(rules.empty)
  if (result.value.text.length > rules.max) throw badRequest(rules.tooLong)
  return result.value
}

const messageText = { max: 4096, tooLong: "message is too long", empty: "message text is empty" }
const captionText = { max: 1024, tooLong: "message caption is too long" }

const parseMode = (params: Params): string | undefined => readString(params, "parse_mode") || undefined

const inlineOnly = (markup: ReplyMarkup | undefined) => (isInlineKeyboard(markup) ? markup : undefined)

const commandsKey = (params: Params): string =>
  canonicalJson([
    readJson(params, "scope", () => badRequest("can't parse BotCommandScope JSON object")) ?? {
      type: "default",
    },
    readString(params, "language_code") ?? "",
  ])

/** The Bot API methods the emulator speaks; anything else is a 404 as in Telegram. */
export const createMethods = (context: MethodContext): Record<string, Method> => {
  const { bot, chats, feed } = context

  const ensureReachable = (state: ChatState) => {
    if (state.blocked) throw new ApiError(403, "Forbidden: bot was blocked by the user")
  }

  const send = (state: ChatState, message: Omit<NewMessage, "sender" | "from">): StoredMessage => {
    ensureReachable(state)
    const markup = message.reply_markup
    if (markup !== undefined && "keyboard" in markup) state.replyKeyboard = markup
    if (markup !== undefined && "remove_keyboard" in markup) state.replyKeyboard = undefined
    return chats.add(state, { ...message, sender: "bot", from: bot })
  }

  const findMessage = (state: ChatState, params: Params, missing: string): StoredMessage => {
    const id = readInteger(params, "message_id")
    if (id === undefined) throw badRequest("message identifier is not specified")
    const message = state.messages.find((candidate) => candidate.message_id === id && !candidate.deleted)
    if (message === undefined) throw badRequest(missing)
    return message
  }

  const editable = (params: Params): StoredMessage => {
    if (params.chat_id === undefined && params.inline_message_id !== undefined) {
      throw badRequest("MESSAGE_ID_INVALID")
    }
    const message = findMessage(chats.require(params), params, "message to edit not found")
    if (message.sender !== "bot") throw badRequest("message can't be edited")
    return message
  }

  const edit = (
    message: StoredMessage,
    next: Pick<StoredMessage, "text" | "plainText" | "parse_mode" | "entities" | "reply_markup">,
  ) => {
    const same =
      next.plainText === message.plainText &&
      canonicalJson(next.entities) === canonicalJson(message.entities) &&
      canonicalJson(inlineOnly(next.reply_markup)) === canonicalJson(inlineOnly(message.reply_markup))
    if (same) throw badRequest(notModified)
    message.history.push({
      text: message.text,
      plainText: message.plainText,
      parse_mode: message.parse_mode,
      entities: message.entities,
      reply_markup: message.reply_markup,
      at: context.now(),
    })
    Object.assign(message, next)
    message.edits++
    message.editDate = Math.floor(context.now() / 1000)
    chats.refresh(message)
    return message.telegram
  }

  const sendFile = (params: Params, field: "document" | "photo") => {
    const state = chats.require(params)
    const caption = readString(params, "caption")
    const formatted = caption ? format(caption, parseMode(params), captionText) : undefined
    const reply_markup = readReplyMarkup(params)
    const file = readFile(chats, params, field)
    return send(state, {
      kind: field,
      text: caption || undefined,
      plainText: formatted?.text,
      parse_mode: parseMode(params),
      entities: formatted?.entities ?? [],
      reply_markup,
      file,
      media: mediaOf(field, file),
    }).telegram
  }

  /** forwardMessage and copyMessage: the original's content, sent again by the bot. */
  const resend = (params: Params, missing: string, forward: boolean): StoredMessage => {
    const target = chats.require(params)
    const source = chats.require(params, "from_chat_id")
    const original = findMessage(source, params, missing)
    const { forward_origin: _, ...media } = original.media
    const caption = forward ? undefined : readString(params, "caption")
    const formatted = caption ? format(caption, parseMode(params), captionText) : undefined
    return send(target, {
      kind: original.kind,
      text: formatted === undefined ? original.text : caption,
      plainText: formatted?.text ?? original.plainText,
      parse_mode: formatted === undefined ? original.parse_mode : parseMode(params),
      entities: formatted?.entities ?? original.entities,
      reply_markup: forward ? undefined : readReplyMarkup(params),
      ...(original.file === undefined ? {} : { file: original.file }),
      ...(original.contact === undefined ? {} : { contact: original.contact }),
      media: forward
        ? { ...media, forward_origin: { type: "user", sender_user: original.from, date: original.date } }
        : media,
    })
  }

  const recordOnly: Method = () => true

  return {
    getMe: () => ({
      ...bot,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    }),
    getUpdates: (params, signal) => feed.getUpdates(params, signal),
    setWebhook: (params) => feed.setWebhook(params),
    deleteWebhook: (params) => feed.deleteWebhook(params),
    getWebhookInfo: () => feed.webhookInfo(),

    sendMessage: (params) => {
      const state = chats.require(params)
      const text = readString(params, "text") ?? ""
      const formatted = format(text, parseMode(params), messageText)
      const reply_markup = readReplyMarkup(params)
      return send(state, {
        kind: "text",
        text,
        plainText: formatted.text,
        parse_mode: parseMode(params),
        entities: formatted.entities,
        reply_markup,
      }).telegram
    },

    editMessageText: (params) => {
      const message = editable(params)
      if (message.kind !== "text") throw badRequest("there is no text in the message to edit")
      const text = readString(params, "text") ?? ""
      const formatted = format(text, parseMode(params), messageText)
      const reply_markup = readReplyMarkup(params)
      if (reply_markup !== undefined && !isInlineKeyboard(reply_markup))
        throw badRequest("inline keyboard expected")
      return edit(message, {
        text,
        plainText: formatted.text,
        parse_mode: parseMode(params),
        entities: formatted.entities,
        reply_markup,
      })
    },

    editMessageReplyMarkup: (params) => {
      const message = editable(params)
      const reply_markup = readReplyMarkup(params)
      if (reply_markup !== undefined && !isInlineKeyboard(reply_markup))
        throw badRequest("inline keyboard expected")
      const { text, plainText, parse_mode, entities } = message
      return edit(message, { text, plainText, parse_mode, entities, reply_markup })
    },

    deleteMessage: (params) => {
      const message = findMessage(chats.require(params), params, "message to delete not found")
      message.deleted = true
      chats.refresh(message)
      return true
    },

    answerCallbackQuery: (params) => {
      const answers = context.callbackAnswers.get(readString(params, "callback_query_id") ?? "")
      if (answers === undefined) throw badRequest(queryTooOld)
      const accepted = answers.length === 0
      answers.push({
        text: readString(params, "text"),
        show_alert: readBoolean(params, "show_alert"),
        accepted,
        at: context.now(),
      })
      if (!accepted) throw badRequest(queryTooOld)
      return true
    },

    sendDocument: (params) => sendFile(params, "document"),
    sendPhoto: (params) => sendFile(params, "photo"),
    forwardMessage: (params) => resend(params, "message to forward not found", true).telegram,
    copyMessage: (params) => ({ message_id: resend(params, "message to copy not found", false).message_id }),

    sendChatAction: (params) => {
      ensureReachable(chats.require(params))
      return true
    },

    setMyCommands: (params) => {
      const commands = readJson(params, "commands", () => badRequest("can't parse commands JSON object"))
      if (!Array.isArray(commands)) throw badRequest("can't parse commands JSON object")
      const valid = commands.map((entry: unknown): BotCommand => {
        const { command, description } = (entry ?? {}) as Record<string, unknown>
        if (typeof command !== "string" || !/^[a-z0-9_]{1,32}$/.test(command))
          throw badRequest("BOT_COMMAND_INVALID")
        if (typeof description !== "string" || description.trim() === "" || description.length > 256) {
          throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
        }
        return { command, description }
      })
      if (valid.length > 100) throw badRequest("too many commands")
      context.commands.set(commandsKey(params), valid)
      return true
    },
    getMyCommands: (params) => context.commands.get(commandsKey(params)) ?? [],
    deleteMyCommands: (params) => context.commands.delete(commandsKey(params)) || true,

    getFile: (params) => {
      const file = chats.file(readString(params, "file_id") ?? "")
      if (file === undefined) throw badRequest("invalid file_id")
      return {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_size: file.size,
        file_path: file.file_path,
      }
    },

    setMyDescription: recordOnly,
    setMyShortDescription: recordOnly,
    setMyName: recordOnly,
    setChatMenuButton: recordOnly,
    logOut: recordOnly,
    close: recordOnly,
  }
}
