import { type ApiError, badRequest, type Params, readJson } from "./emulator-params.ts"
import type {
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  KeyboardButton,
  ReplyMarkup,
} from "./emulator-types.ts"

const unparsable = (): ApiError => badRequest("can't parse reply keyboard markup JSON object")

const inlineActions = [
  "callback_data",
  "url",
  "login_url",
  "web_app",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
]

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const isGrid = (value: unknown): value is ReadonlyArray<ReadonlyArray<unknown>> =>
  Array.isArray(value) && value.every(Array.isArray)

const isButtonUrl = (url: string): boolean => {
  for (const candidate of [url, `http://${url}`]) {
    try {
      const parsed = new URL(candidate)
      if (
        ["http:", "https:", "tg:"].includes(parsed.protocol) &&
        (parsed.protocol === "tg:" || parsed.hostname)
      ) {
        return true
      }
    } catch {}
  }
  return false
}

const inlineButton = (button: unknown): InlineKeyboardButton => {
  if (!isRecord(button))
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
  const { text } = button
  if (typeof text !== "string") {
    throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`)
  }
  if (text.trim() === "") throw badRequest("BUTTON_TEXT_INVALID")
  const actions = inlineActions.filter((field) => button[field] !== undefined)
  if (actions.length === 0) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
  }
  if (actions.length > 1) {
    throw badRequest("can't parse inline keyboard button: only one of the optional fields can be used")
  }
  const data = button.callback_data
  if (data !== undefined) {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data).length : 0
    if (bytes < 1 || bytes > 64) throw badRequest("BUTTON_DATA_INVALID")
  }
  const url = button.url
  if (url !== undefined && (typeof url !== "string" || !isButtonUrl(url)))
    throw badRequest("BUTTON_URL_INVALID")
  return button as InlineKeyboardButton
}

const keyboardButton = (button: unknown): KeyboardButton => {
  if (typeof button === "string") return { text: button }
  if (!isRecord(button) || typeof button.text !== "string") {
    throw badRequest(`can't parse keyboard button: Field "text" must be of type String`)
  }
  if (button.text.trim() === "") throw badRequest("BUTTON_TEXT_INVALID")
  return button as KeyboardButton
}

/** Validates reply_markup like Telegram and returns it normalised (reply keyboard strings become buttons). */
export const readReplyMarkup = (params: Params): ReplyMarkup | undefined => {
  const markup = readJson(params, "reply_markup", unparsable)
  if (markup === undefined || markup === null) return undefined
  if (!isRecord(markup)) throw unparsable()
  if ("inline_keyboard" in markup) {
    if (!isGrid(markup.inline_keyboard)) {
      throw badRequest(`field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays`)
    }
    const rows = markup.inline_keyboard.map((row) => row.map(inlineButton))
    if (rows.flat().length > 100) throw badRequest("reply markup is too long")
    return { inline_keyboard: rows }
  }
  if ("keyboard" in markup) {
    if (!isGrid(markup.keyboard)) {
      throw badRequest(`field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays`)
    }
    const placeholder = markup.input_field_placeholder
    if (placeholder !== undefined && (typeof placeholder !== "string" || placeholder.length > 64)) {
      throw badRequest("can't parse reply keyboard markup JSON object: input_field_placeholder is too long")
    }
    return { ...markup, keyboard: markup.keyboard.map((row) => row.map(keyboardButton)) }
  }
  if (markup.remove_keyboard === true) return { ...markup, remove_keyboard: true }
  if (markup.force_reply === true) return { ...markup, force_reply: true }
  throw unparsable()
}

export const isInlineKeyboard = (markup: ReplyMarkup | undefined): markup is InlineKeyboardMarkup =>
  markup !== undefined && "inline_keyboard" in markup

/** JSON with sorted keys: Telegram compares markup by content, not by key order. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    isRecord(inner)
      ? Object.fromEntries(
          Object.keys(inner)
            .sort()
            .map((key) => [key, inner[key]]),
        )
      : inner,
  ) ?? "undefined"
