import type { Reply } from "../../domain/reply.ts"

export const MAX_MESSAGE_LENGTH = 4096

/** The one place where text meets Telegram's HTML parse mode: everything a student typed is escaped. */
export const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

type Markup = Readonly<Record<string, unknown>>

export const replyMarkup = (reply: Reply): Markup | undefined => {
  if (reply.choices !== undefined) {
    return {
      inline_keyboard: reply.choices.map((row) =>
        row.map((choice) => ({ text: choice.label, callback_data: choice.data })),
      ),
    }
  }
  if (reply.keyboard !== undefined) {
    return {
      keyboard: reply.keyboard.map((row) =>
        row.map((button) =>
          button.requestContact ? { text: button.label, request_contact: true } : { text: button.label },
        ),
      ),
      resize_keyboard: true,
      is_persistent: true,
    }
  }
  return reply.removeKeyboard ? { remove_keyboard: true } : undefined
}

/** Splits long text at line breaks (or spaces, or anywhere) into pieces Telegram accepts. */
export const splitText = (text: string, limit = MAX_MESSAGE_LENGTH): ReadonlyArray<string> => {
  const pieces: Array<string> = []
  let rest = text
  while (rest.length > limit) {
    const window = rest.slice(0, limit)
    const newline = window.lastIndexOf("\n")
    const cut = newline > limit / 2 ? newline : window.lastIndexOf(" ")
    const at = cut > limit / 2 ? cut : limit
    pieces.push(rest.slice(0, at))
    rest = rest.slice(at).replace(/^[\n ]/, "")
  }
  pieces.push(rest)
  return pieces
}

/** Escaped text, with the reply's copyable parts as <code> (Telegram copies those with one tap). */
const markUp = (piece: string, reply: Reply): string =>
  (reply.copyable ?? []).reduce((html, part) => {
    const escaped = escapeHtml(part)
    return escaped === "" ? html : html.split(escaped).join(`<code>${escaped}</code>`)
  }, escapeHtml(piece))

/** sendMessage parameters for a reply: long text becomes several messages, buttons go on the last. */
export const renderMessages = (chatId: number, reply: Reply): ReadonlyArray<Record<string, unknown>> => {
  const pieces = splitText(reply.text)
  const markup = replyMarkup(reply)
  return pieces.map((piece, index) => ({
    chat_id: chatId,
    text: markUp(piece, reply),
    parse_mode: "HTML",
    ...(index === pieces.length - 1 && markup !== undefined ? { reply_markup: markup } : {}),
  }))
}

/** editMessageText parameters: only inline buttons can live on an edited message. */
export const renderEdit = (chatId: number, messageId: number, reply: Reply): Record<string, unknown> => {
  const [first = ""] = splitText(reply.text)
  return {
    chat_id: chatId,
    message_id: messageId,
    text: markUp(first, reply),
    parse_mode: "HTML",
    ...(reply.choices === undefined
      ? {}
      : { reply_markup: replyMarkup({ text: "", choices: reply.choices }) }),
  }
}
