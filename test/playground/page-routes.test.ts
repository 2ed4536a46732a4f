import assert from "node:assert/strict"
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import type { BotApiEmulator, Update } from "../../playground/bot-api-emulator.ts"
import { Playground, PlaygroundLive } from "../../playground/playground.ts"
import { serveHttp } from "../../src/adapters/http/server.ts"
import { temporaryDirectory } from "../support/bot-process.ts"

type State = {
  version: number
  personas: Array<{ id: number; name: string; role: string }>
  messages: string
  keyboard: string
  commands: string
  toast: { id: number; text: string; alert: boolean } | null
  record: { path: string; saved: boolean }
}

describe("the playground page's routes", () => {
  const scope = Effect.runSync(Scope.make())
  let emulator: BotApiEmulator
  let usersDir: string
  let base: string
  let offset = 0

  before(async () => {
    usersDir = await temporaryDirectory("playground-users-")
    const context = await Effect.runPromise(
      Layer.buildWithScope(PlaygroundLive({ adminIds: [42], usersDir, holdSeconds: 1 }), scope),
    )
    const playground = Context.get(context, Playground)
    emulator = playground.emulator
    const server = await Effect.runPromise(
      Scope.extend(serveHttp({ port: 0, host: "127.0.0.1", routes: playground.routes }), scope),
    )
    base = `http://127.0.0.1:${server.port}`
  })

  after(() => Effect.runPromise(Scope.close(scope, Exit.void)))

  /** The test plays the bot: it calls the emulator's Bot API over HTTP, as the real bot does. */
  const bot = async (method: string, params: object = {}) => {
    const response = await fetch(`${emulator.url}/bot${emulator.token}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    })
    const body = (await response.json()) as { ok: boolean; result: unknown; description?: string }
    assert.ok(body.ok, body.description)
    return body.result
  }
  /** The updates the page's actions produced, as getUpdates hands them to the bot. */
  const updates = async (): Promise<Array<Update>> => {
    const result = (await bot("getUpdates", { offset, timeout: 0 })) as Array<Update>
    if (result.length > 0) offset = Math.max(...result.map((update) => update.update_id)) + 1
    return result
  }
  const act = (
    userId: number,
    action: string,
    body: unknown,
    headers: Record<string, string> = { "content-type": "application/json" },
  ) =>
    fetch(`${base}/playground/api/chat/${userId}/${action}`, {
      method: "POST",
      headers,
      body: body instanceof Uint8Array ? body : JSON.stringify(body),
    })
  const state = async (userId: number, since = 0): Promise<State> => {
    const response = await fetch(`${base}/playground/api/chat/${userId}/since/${since}`)
    assert.equal(response.status, 200)
    return (await response.json()) as State
  }

  it("serves the page, right to left, and its script", async () => {
    const page = await fetch(`${base}/playground`)
    assert.equal(page.status, 200)
    assert.match(page.headers.get("content-type") ?? "", /text\/html/)
    const html = await page.text()
    assert.match(html, /<html lang="fa" dir="rtl">/)
    assert.match(html, /<script src="\/playground\/page\.js"><\/script>/)
    const script = await fetch(`${base}/playground/page.js`)
    assert.match(script.headers.get("content-type") ?? "", /javascript/)
    assert.match(await script.text(), /\/playground\/api/)
  })

  it("lists the pretend students and the admins", async () => {
    const personas = (await (await fetch(`${base}/playground/api/personas`)).json()) as State["personas"]
    assert.deepEqual(
      personas.map((person) => [person.id, person.role]),
      [
        [7001, "student"],
        [7002, "student"],
        [7003, "student"],
        [42, "admin"],
      ],
    )
  })

  it("shows a new chat with Telegram's START button, and no saved file yet", async () => {
    const first = await state(7002)
    assert.equal(first.messages, "")
    assert.match(first.keyboard, /data-text="\/start">شروع</)
    assert.deepEqual(first.record, { path: join(usersDir, "user_7002.json"), saved: false })
  })

  it("turns typing into the message update Telegram would send, without the playground's own fields", async () => {
    await updates()
    const response = await act(7001, "text", { text: "/start" })
    assert.equal(response.status, 200)
    const [update] = await updates()
    assert.deepEqual(update?.message?.from, {
      id: 7001,
      is_bot: false,
      first_name: "سارا",
      last_name: "احمدی",
    })
    assert.equal(update?.message?.text, "/start")
    assert.deepEqual(update?.message?.entities, [{ type: "bot_command", offset: 0, length: 6 }])
    assert.match((await state(7001)).messages, /class="message user"/)
  })

  it("shows what the bot sends, and turns a button press into a callback query with its toast", async () => {
    await bot("sendMessage", {
      chat_id: 7001,
      text: "<b>پایه</b>؟",
      parse_mode: "HTML",
      reply_markup: { inline_keyboard: [[{ text: "دهم", callback_data: "grade:10" }]] },
    })
    const shown = await state(7001)
    assert.match(shown.messages, /<b>پایه<\/b>؟/)
    const messageId = Number(/data-action="press" data-message-id="(\d+)"/.exec(shown.messages)?.[1])
    await updates()
    assert.equal((await act(7001, "button", { messageId, data: "grade:10" })).status, 200)
    const [update] = await updates()
    assert.equal(update?.callback_query?.data, "grade:10")
    assert.equal(update?.callback_query?.from.id, 7001)
    await bot("answerCallbackQuery", { callback_query_id: update?.callback_query?.id, text: "ثبت شد" })
    const after = await state(7001, shown.version)
    assert.equal(after.toast?.text, "ثبت شد")
    assert.ok(after.version > shown.version)

    const missing = await act(7001, "button", { messageId, data: "grade:99" })
    assert.equal(missing.status, 409)
    assert.match(((await missing.json()) as { error: string }).error, /no button "grade:99"/)
    assert.equal((await act(7001, "button", { data: "x" })).status, 400)
  })

  it("shares the persona's own contact from the reply keyboard's contact button", async () => {
    await bot("sendMessage", {
      chat_id: 7001,
      text: "شماره؟",
      reply_markup: { keyboard: [[{ text: "📱 ارسال شماره من", request_contact: true }]] },
    })
    assert.match((await state(7001)).keyboard, /data-action="contact">📱 ارسال شماره من</)
    await updates()
    await act(7001, "contact", {})
    const [update] = await updates()
    assert.deepEqual(update?.message?.contact, {
      phone_number: "989120007001",
      user_id: 7001,
      first_name: "سارا",
      last_name: "احمدی",
    })
  })

  it("sends an uploaded photo, caption and all, and serves its bytes back", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])
    assert.equal((await act(42, "photo", png, { "content-type": "text/plain" })).status, 415)
    await updates()
    const response = await act(42, "photo", png, {
      "content-type": "image/png",
      "x-caption": encodeURIComponent("رسید ۱"),
    })
    assert.equal(response.status, 200)
    const [update] = await updates()
    assert.equal(update?.message?.caption, "رسید ۱")
    const largest = update?.message?.photo?.at(-1)
    assert.ok(largest)
    const file = await fetch(`${base}/playground/api/file/${largest.file_id}`)
    assert.equal(file.headers.get("content-type"), "image/png")
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), png)
    assert.equal((await fetch(`${base}/playground/api/file/nope`)).status, 404)
  })

  it("refuses unknown personas and empty or malformed messages", async () => {
    assert.equal((await act(999, "text", { text: "hi" })).status, 404)
    assert.equal((await fetch(`${base}/playground/api/chat/999/since/0`)).status, 404)
    assert.equal((await act(7001, "text", { text: "  " })).status, 400)
    assert.equal((await act(7001, "text", new TextEncoder().encode("{not json"))).status, 400)
  })

  it("adds a pretend student", async () => {
    const response = await fetch(`${base}/playground/api/students`, { method: "POST" })
    const { id } = (await response.json()) as { id: number }
    assert.equal(id, 7004)
    assert.ok((await state(7004)).personas.some((person) => person.id === 7004))
  })

  it("shows the student's file in USERS_DIR once the bot has written it", async () => {
    const record = `${base}/playground/api/chat/7003/record`
    assert.equal((await fetch(record)).status, 404)
    await writeFile(join(usersDir, "user_7003.json"), '{"user_id": 7003}')
    const response = await fetch(record)
    assert.equal(response.status, 200)
    assert.deepEqual(await response.json(), { user_id: 7003 })
    assert.equal((await state(7003)).record.saved, true)
  })

  it("holds a page that is up to date, then answers with the same version when nothing happened", async () => {
    const { version } = await state(7003)
    assert.equal((await state(7003, version)).version, version)
  })
})
