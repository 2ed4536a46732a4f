import type { MessageEntity } from "./emulator-types.ts"

/** Text as the student sees it, with the entities Telegram derived from the parse_mode markup. */
export type FormattedText = { readonly text: string; readonly entities: ReadonlyArray<MessageEntity> }

export type FormatResult =
  | { readonly ok: true; readonly value: FormattedText }
  | { readonly ok: false; readonly description: string }

const encoder = new TextEncoder()
/** Telegram reports parse errors at UTF-8 byte offsets. */
const byteOffset = (raw: string, index: number): number => encoder.encode(raw.slice(0, index)).length

const cantParse = (reason: string): FormatResult => ({
  ok: false,
  description: `Bad Request: can't parse entities: ${reason}`,
})

const done = (text: string, entities: Array<MessageEntity>): FormatResult => ({
  ok: true,
  value: { text, entities: entities.sort((a, b) => a.offset - b.offset || b.length - a.length) },
})

/**
 * Parses text the way Telegram does for parse_mode HTML (none = plain text). The bot sends HTML only, so the
 * emulator knows no other markup: MarkdownV2 or Markdown is refused, as a mode it does not serve.
 */
export const formatText = (raw: string, parseMode: string | undefined): FormatResult => {
  if (parseMode === undefined || parseMode === "") return done(raw, [])
  if (parseMode.toLowerCase() === "html") return parseHtml(raw)
  return {
    ok: false,
    description: `Bad Request: unsupported parse_mode ${parseMode} (the emulator speaks HTML, as the bot does)`,
  }
}

// --- HTML -------------------------------------------------------------------------------------------

const htmlTags: Readonly<Record<string, string>> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  code: "code",
  pre: "pre",
  a: "text_link",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  blockquote: "blockquote",
}

const namedEntities: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"' }

/** Decodes the HTML entity at `index` (which holds "&"); undefined when it is not a supported entity. */
const readEntity = (raw: string, index: number): { char: string; length: number } | undefined => {
  const match = /^&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]{2,8}));/i.exec(raw.slice(index, index + 12))
  if (match === null) return undefined
  const [whole, decimal, hex, name] = match
  if (name !== undefined) {
    const char = namedEntities[name.toLowerCase()]
    return char === undefined ? undefined : { char, length: whole.length }
  }
  const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? "", 16)
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined
  return { char: String.fromCodePoint(code), length: whole.length }
}

const decodeAttribute = (value: string): string =>
  value.replace(
    /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi,
    (entity) => readEntity(entity, 0)?.char ?? entity,
  )

type StartTag = { readonly name: string; readonly attributes: Map<string, string>; readonly end: number }

/** Reads `<name attr="value" ...>` starting at `index`; a string is the parse error. */
const readStartTag = (raw: string, index: number): StartTag | string => {
  const at = byteOffset(raw, index)
  const name = /^[a-z0-9-]*/i.exec(raw.slice(index + 1))?.[0].toLowerCase() ?? ""
  if (htmlTags[name] === undefined) return `Unsupported start tag "${name}" at byte offset ${at}`
  const attributes = new Map<string, string>()
  let i = index + 1 + name.length
  for (;;) {
    while (/\s/.test(raw[i] ?? "")) i++
    if (i >= raw.length) return `Unclosed start tag at byte offset ${at}`
    if (raw[i] === ">") return { name, attributes, end: i + 1 }
    const attribute = /^[a-z0-9_-]+/i.exec(raw.slice(i))?.[0]
    if (attribute === undefined)
      return `Expected equal sign in declaration of an attribute of the tag at byte offset ${at}`
    i += attribute.length
    while (/\s/.test(raw[i] ?? "")) i++
    let value = ""
    if (raw[i] === "=") {
      i++
      while (/\s/.test(raw[i] ?? "")) i++
      const quote = raw[i]
      if (quote === '"' || quote === "'") {
        const close = raw.indexOf(quote, i + 1)
        if (close < 0) return `Unclosed start tag at byte offset ${at}`
        value = raw.slice(i + 1, close)
        i = close + 1
      } else {
        value = /^[^\s>]*/.exec(raw.slice(i))?.[0] ?? ""
        i += value.length
      }
    }
    attributes.set(attribute.toLowerCase(), decodeAttribute(value))
  }
}

type OpenTag = {
  readonly name: string
  readonly attributes: Map<string, string>
  readonly offset: number
  language?: string
}

const entityOf = (tag: OpenTag, length: number): MessageEntity | undefined => {
  const base = { offset: tag.offset, length }
  switch (tag.name) {
    case "a": {
      const href = tag.attributes.get("href")
      if (href === undefined || href === "") return undefined
      const mention = /^tg:\/\/user\?id=(\d+)$/.exec(href)
      return mention?.[1] !== undefined
        ? { type: "text_mention", ...base, user: { id: Number(mention[1]) } }
        : { type: "text_link", ...base, url: href }
    }
    case "pre":
      return tag.language === undefined
        ? { type: "pre", ...base }
        : { type: "pre", ...base, language: tag.language }
    case "blockquote":
      return { type: tag.attributes.has("expandable") ? "expandable_blockquote" : "blockquote", ...base }
    default:
      return { type: htmlTags[tag.name] ?? "unknown", ...base }
  }
}

/**
 * Telegram's HTML: a fixed set of balanced tags; "<" and "&" must be written as entities.
 * (Telegram itself tolerates a bare "&"; the emulator is stricter so unescaped user input shows up in tests.)
 */
const parseHtml = (raw: string): FormatResult => {
  let text = ""
  const open: Array<OpenTag> = []
  const entities: Array<MessageEntity> = []
  let i = 0
  while (i < raw.length) {
    const char = raw[i] ?? ""
    if (char === "&") {
      const entity = readEntity(raw, i)
      if (entity === undefined) {
        return cantParse(`Unescaped "&" or unsupported HTML entity at byte offset ${byteOffset(raw, i)}`)
      }
      text += entity.char
      i += entity.length
    } else if (char === "<" && raw[i + 1] === "/") {
      const at = byteOffset(raw, i)
      const close = raw.indexOf(">", i)
      if (close < 0) return cantParse(`Unclosed end tag at byte offset ${at}`)
      const name = raw
        .slice(i + 2, close)
        .trim()
        .toLowerCase()
      const top = open.pop()
      if (top === undefined) return cantParse(`Unexpected end tag at byte offset ${at}`)
      if (top.name !== name) {
        return cantParse(
          `Unmatched end tag at byte offset ${at}, expected "</${top.name}>", found "</${name}>"`,
        )
      }
      const parent = open.at(-1)
      const language = /^language-(.+)$/.exec(top.attributes.get("class") ?? "")?.[1]
      if (top.name === "code" && parent?.name === "pre" && parent.offset === top.offset && language) {
        parent.language = language
      } else if (text.length > top.offset) {
        const entity = entityOf(top, text.length - top.offset)
        if (entity !== undefined) entities.push(entity)
      }
      i = close + 1
    } else if (char === "<") {
      const tag = readStartTag(raw, i)
      if (typeof tag === "string") return cantParse(tag)
      if (tag.name === "span" && tag.attributes.get("class") !== "tg-spoiler") {
        return cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(raw, i)}`)
      }
      open.push({ name: tag.name, attributes: tag.attributes, offset: text.length })
      i = tag.end
    } else {
      text += char
      i++
    }
  }
  const unclosed = open.at(-1)
  if (unclosed !== undefined)
    return cantParse(`Can't find end tag corresponding to start tag "${unclosed.name}"`)
  return done(text, entities)
}
