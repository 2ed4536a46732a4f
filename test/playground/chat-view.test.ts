import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { createBotApi } from "../../playground/bot-api-emulator.ts"
import {
  escapeHtml,
  formatEntities,
  renderCommands,
  renderMessage,
  renderReplyKeyboard,
  renderTranscript,
} from "../../playground/chat-view.ts"

const sara = { id: 7001, first_name: "سارا" }

/** A bot message as the emulator stores it, sent through the real Bot API handler. */
const botSends = async (api: ReturnType<typeof createBotApi>, method: string, params: object) => {
  const response = await api.handle(
    new Request(`http://emulator/bot${api.token}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    }),
  )
  const body = (await response.json()) as { ok: boolean; description?: string }
  assert.ok(body.ok, body.description)
}

describe("formatEntities: Telegram's entities as HTML", () => {
  it("escapes text and wraps nested entities", () => {
    const text = "a <b> & bold italic"
    const html = formatEntities(text, [
      { type: "bold", offset: 8, length: 11 },
      { type: "italic", offset: 13, length: 6 },
    ])
    assert.equal(html, "a &lt;b&gt; &amp; <b>bold <i>italic</i></b>")
  })

  it("closes and reopens an entity that crosses another, so the HTML stays well formed", () => {
    assert.equal(
      formatEntities("abcdef", [
        { type: "bold", offset: 0, length: 4 },
        { type: "italic", offset: 2, length: 4 },
      ]),
      "<b>ab<i>cd</i></b><i>ef</i>",
    )
  })

  it("counts offsets in UTF-16 units, as Telegram does (an emoji is two)", () => {
    assert.equal(formatEntities("👋 سلام", [{ type: "bold", offset: 3, length: 4 }]), "👋 <b>سلام</b>")
  })

  it("turns links into safe anchors and commands into tappable ones", () => {
    const html = formatEntities("site bad /start", [
      { type: "text_link", offset: 0, length: 4, url: 'https://example.org/?a=1&b="2"' },
      { type: "text_link", offset: 5, length: 3, url: "javascript:alert(1)" },
      { type: "bot_command", offset: 9, length: 6 },
    ])
    assert.match(html, /<a href="https:\/\/example\.org\/\?a=1&amp;b=&quot;2&quot;" target="_blank"/)
    assert.doesNotMatch(html, /javascript:/)
    assert.match(html, /<span class="link">bad<\/span>/)
    assert.match(html, /<a class="command" href="#" data-action="send" data-text="\/start">\/start<\/a>/)
  })

  it("renders code, pre, spoilers, quotes and ignores entities outside the text", () => {
    const html = formatEntities("x y z w", [
      { type: "code", offset: 0, length: 1 },
      { type: "pre", offset: 2, length: 1 },
      { type: "spoiler", offset: 4, length: 1 },
      { type: "blockquote", offset: 6, length: 1 },
      { type: "bold", offset: 40, length: 2 },
      { type: "italic", offset: 1, length: 0 },
    ])
    assert.equal(
      html,
      '<code>x</code> <pre dir="ltr">y</pre> <span class="spoiler" tabindex="0">z</span> <blockquote>w</blockquote>',
    )
  })

  it("escapes quotes for attributes", () => {
    assert.equal(escapeHtml(`"'<>&`), "&quot;&#39;&lt;&gt;&amp;")
  })
})

describe("rendering the chat", () => {
  it("shows the bot's HTML formatting, its inline buttons, and the student's side", async () => {
    const api = createBotApi()
    api.sendText(sara, "/start")
    await botSends(api, "sendMessage", {
      chat_id: sara.id,
      text: "<b>پایه</b> را انتخاب کنید: 1 &lt; 2",
      parse_mode: "HTML",
      reply_markup: {
        inline_keyboard: [
          [
            { text: "دهم", callback_data: "grade:10" },
            { text: 'x"y', callback_data: 'a"b' },
          ],
          [{ text: "سایت", url: "https://example.org" }],
        ],
      },
    })
    const html = renderTranscript(api.transcript(sara.id))
    assert.match(html, /<div class="message user" data-message-id="1">/)
    assert.match(html, /<div class="message bot" data-message-id="2">/)
    assert.match(html, /<b>پایه<\/b> را انتخاب کنید: 1 &lt; 2/)
    assert.match(html, /data-action="press" data-message-id="2" data-data="grade:10">دهم<\/button>/)
    assert.match(html, /data-data="a&quot;b">x&quot;y<\/button>/)
    assert.match(html, /<a class="button" href="https:\/\/example.org"/)
  })

  it("marks edited messages and leaves deleted ones out", async () => {
    const api = createBotApi()
    api.sendText(sara, "/start")
    await botSends(api, "sendMessage", { chat_id: sara.id, text: "one" })
    await botSends(api, "sendMessage", { chat_id: sara.id, text: "two" })
    await botSends(api, "editMessageText", { chat_id: sara.id, message_id: 2, text: "one, edited" })
    await botSends(api, "deleteMessage", { chat_id: sara.id, message_id: 3 })
    const html = renderTranscript(api.transcript(sara.id))
    assert.match(html, /one, edited<\/div><\/div><div class="meta"><span class="edited">ویرایش‌شده<\/span>/)
    assert.doesNotMatch(html, /two/)
  })

  it("shows contacts, photos and documents", async () => {
    const api = createBotApi()
    api.sendContact(sara, { phone_number: "989120007001", user_id: sara.id, last_name: "احمدی" })
    const photo = api.sendPhoto(sara, { caption: "رسید" })
    const [contact, image] = api.transcript(sara.id)
    assert.ok(contact && image)
    assert.match(renderMessage(contact), /📱 <b>سارا احمدی<\/b><br><span dir="ltr">\+989120007001<\/span>/)
    const largest = photo.message.photo?.at(-1)?.file_id ?? ""
    assert.match(
      renderMessage(image),
      new RegExp(`<img class="photo" alt="📷" src="/playground/api/file/${largest}">.*رسید`),
    )
    const upload = new FormData()
    upload.set("chat_id", String(sara.id))
    upload.set("document", new Blob(["%PDF"], { type: "application/pdf" }), "a<b>.pdf")
    const response = await api.handle(
      new Request(`http://emulator/bot${api.token}/sendDocument`, { method: "POST", body: upload }),
    )
    assert.equal(response.status, 200)
    const document = api.lastMessage(sara.id)
    assert.ok(document)
    assert.match(
      renderMessage(document),
      /<a class="document" href="\/playground\/api\/file\/[^"]+"[^>]*>📄 a&lt;b&gt;\.pdf<\/a>/,
    )
  })

  it("offers START before the first message, then the bot's reply keyboard with a contact button", () => {
    assert.match(renderReplyKeyboard(undefined, false), /data-action="send" data-text="\/start">شروع</)
    assert.equal(renderReplyKeyboard(undefined, true), "")
    const html = renderReplyKeyboard(
      { keyboard: [[{ text: "📱 ارسال شماره من", request_contact: true }], [{ text: "لغو <" }]] },
      true,
    )
    assert.match(html, /<button type="button" data-action="contact">📱 ارسال شماره من<\/button>/)
    assert.match(html, /data-action="send" data-text="لغو &lt;">لغو &lt;<\/button>/)
  })

  it("lists the bot's commands", () => {
    assert.match(
      renderCommands([{ command: "start", description: "شروع" }]),
      /data-text="\/start"><span dir="ltr">\/start<\/span> شروع<\/button>/,
    )
  })
})
