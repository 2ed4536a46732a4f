import type {
  ChatMessage,
  InlineKeyboardMarkup,
  MessageEntity,
  ReplyKeyboardMarkup,
  ReplyMarkup,
} from "./emulator-types.ts"

/** The chat as the playground page shows it: HTML built here, so the page script only swaps it in. */

/** Escapes text for HTML content and double-quoted attributes. */
export const escapeHtml = (text: string): string =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")

const safeUrl = (url: string): string | undefined => (/^(https?|tg|mailto):/i.test(url) ? url : undefined)

/** The opening and closing tags Telegram's rendering of an entity amounts to. */
const tagsOf = (entity: MessageEntity, text: string): readonly [string, string] => {
  const link = (url: string | undefined) =>
    url === undefined
      ? (['<span class="link">', "</span>"] as const)
      : ([`<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">`, "</a>"] as const)
  switch (entity.type) {
    case "bold":
      return ["<b>", "</b>"]
    case "italic":
      return ["<i>", "</i>"]
    case "underline":
      return ["<u>", "</u>"]
    case "strikethrough":
      return ["<s>", "</s>"]
    case "code":
      return ["<code>", "</code>"]
    case "pre":
      return ['<pre dir="ltr">', "</pre>"]
    case "blockquote":
    case "expandable_blockquote":
      return ["<blockquote>", "</blockquote>"]
    case "spoiler":
      return ['<span class="spoiler" tabindex="0">', "</span>"]
    case "text_link":
      return link(safeUrl(entity.url ?? ""))
    case "url": {
      const url = text.slice(entity.offset, entity.offset + entity.length)
      return link(safeUrl(/^[a-z]+:/i.test(url) ? url : `https://${url}`))
    }
    case "bot_command": {
      // as in Telegram, tapping a command sends it
      const command = text.slice(entity.offset, entity.offset + entity.length)
      return [`<a class="command" href="#" data-action="send" data-text="${escapeHtml(command)}">`, "</a>"]
    }
    default:
      return ['<span class="link">', "</span>"]
  }
}

/**
 * Text with Telegram's entities as HTML. Offsets are UTF-16 code units, as in JavaScript strings. Nested
 * entities nest; an entity that ends inside another is closed and the outer one reopened, so the HTML is
 * always well formed.
 */
export const formatEntities = (text: string, entities: ReadonlyArray<MessageEntity>): string => {
  const spans = entities
    .filter((entity) => entity.length > 0 && entity.offset >= 0 && entity.offset < text.length)
    .map((entity) => ({ entity, end: Math.min(text.length, entity.offset + entity.length) }))
    .sort((a, b) => a.entity.offset - b.entity.offset || b.end - a.end)
  const points = [
    ...new Set([0, text.length, ...spans.flatMap((span) => [span.entity.offset, span.end])]),
  ].sort((a, b) => a - b)
  const open: Array<(typeof spans)[number]> = []
  let html = ""
  let position = 0
  for (const point of points) {
    html += escapeHtml(text.slice(position, point))
    position = point
    // close what ends here; anything opened after it is closed first and reopened
    const firstEnded = open.findIndex((span) => span.end <= point)
    if (firstEnded >= 0) {
      const closed = open.splice(firstEnded)
      for (const span of [...closed].reverse()) html += tagsOf(span.entity, text)[1]
      for (const span of closed.filter((candidate) => candidate.end > point)) {
        html += tagsOf(span.entity, text)[0]
        open.push(span)
      }
    }
    for (const span of spans.filter(
      (candidate) => candidate.entity.offset === point && candidate.end > point,
    )) {
      html += tagsOf(span.entity, text)[0]
      open.push(span)
    }
  }
  for (const span of [...open].reverse()) html += tagsOf(span.entity, text)[1]
  return html
}

const isInline = (markup: ReplyMarkup | undefined): markup is InlineKeyboardMarkup =>
  markup !== undefined && "inline_keyboard" in markup

const inlineKeyboard = (message: ChatMessage): string => {
  if (!isInline(message.reply_markup)) return ""
  const rows = message.reply_markup.inline_keyboard.map((row) => {
    const buttons = row.map((button) => {
      const label = escapeHtml(button.text)
      if (button.callback_data !== undefined) {
        return `<button type="button" data-action="press" data-message-id="${message.message_id}" data-data="${escapeHtml(button.callback_data)}">${label}</button>`
      }
      const url = safeUrl(button.url ?? "")
      return url === undefined
        ? `<button type="button" disabled>${label}</button>`
        : `<a class="button" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${label} ↗</a>`
    })
    return `<div class="row">${buttons.join("")}</div>`
  })
  return `<div class="inline-keyboard">${rows.join("")}</div>`
}

const fileUrl = (fileId: string) => `/playground/api/file/${encodeURIComponent(fileId)}`

const contentOf = (message: ChatMessage): string => {
  const caption =
    message.plainText === undefined || message.plainText === ""
      ? ""
      : `<div class="text">${formatEntities(message.plainText, message.entities)}</div>`
  switch (message.kind) {
    case "photo": {
      const image =
        message.file?.url ?? (message.file === undefined ? undefined : fileUrl(message.file.file_id))
      return `${image === undefined ? "" : `<img class="photo" alt="📷" src="${escapeHtml(image)}">`}${caption}`
    }
    case "document": {
      const name = escapeHtml(message.file?.file_name ?? "file")
      const link =
        message.file === undefined
          ? `📄 ${name}`
          : `<a class="document" href="${escapeHtml(message.file.url ?? fileUrl(message.file.file_id))}" target="_blank" rel="noopener">📄 ${name}</a>`
      return `${link}${caption}`
    }
    case "sticker":
      return `<div class="sticker">${escapeHtml(message.telegram.sticker?.emoji ?? "🖼")}</div>`
    case "contact": {
      const contact = message.contact
      const name = [contact?.first_name, contact?.last_name].filter(Boolean).join(" ")
      return `<div class="contact">📱 <b>${escapeHtml(name)}</b><br><span dir="ltr">+${escapeHtml((contact?.phone_number ?? "").replace(/^\+/, ""))}</span></div>`
    }
    default:
      return caption
  }
}

const timeOf = (seconds: number): string =>
  new Date(seconds * 1000).toLocaleTimeString("fa-IR", { hour: "2-digit", minute: "2-digit", hour12: false })

/** One bubble: the bot's on one side, the student's on the other, inline buttons under the bot's. */
export const renderMessage = (message: ChatMessage): string => {
  const edited = message.edits > 0 ? `<span class="edited">ویرایش‌شده</span>` : ""
  return (
    `<div class="message ${message.sender}" data-message-id="${message.message_id}">` +
    `<div class="bubble"><div class="content" dir="auto">${contentOf(message)}</div>` +
    `<div class="meta">${edited}<time>${timeOf(message.date)}</time></div></div>` +
    `${inlineKeyboard(message)}</div>`
  )
}

/** Both sides of the conversation, oldest first; deleted messages are gone, as in Telegram. */
export const renderTranscript = (messages: ReadonlyArray<ChatMessage>): string =>
  messages
    .filter((message) => !message.deleted)
    .map(renderMessage)
    .join("")

/**
 * What sits under the text box: the reply keyboard the bot last sent (a contact button shares the pretend
 * student's own number), or Telegram's START button before the first message.
 */
export const renderReplyKeyboard = (
  keyboard: ReplyKeyboardMarkup | undefined,
  chatStarted: boolean,
): string => {
  if (!chatStarted) {
    return `<div class="row"><button type="button" class="start" data-action="send" data-text="/start">شروع</button></div>`
  }
  if (keyboard === undefined) return ""
  return keyboard.keyboard
    .map((row) => {
      const buttons = row.map((button) =>
        button.request_contact === true
          ? `<button type="button" data-action="contact">${escapeHtml(button.text)}</button>`
          : `<button type="button" data-action="send" data-text="${escapeHtml(button.text)}">${escapeHtml(button.text)}</button>`,
      )
      return `<div class="row">${buttons.join("")}</div>`
    })
    .join("")
}

/** The bot's command menu (setMyCommands), as Telegram's «Menu» shows it. */
export const renderCommands = (
  commands: ReadonlyArray<{ readonly command: string; readonly description: string }>,
): string =>
  commands
    .map(
      ({ command, description }) =>
        `<button type="button" data-action="send" data-text="/${escapeHtml(command)}"><span dir="ltr">/${escapeHtml(command)}</span> ${escapeHtml(description)}</button>`,
    )
    .join("")
