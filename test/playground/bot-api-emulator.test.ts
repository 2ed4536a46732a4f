import assert from "node:assert/strict"
import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import { describe, it } from "node:test"
import {
  type BotApiEmulator,
  type FakeUser,
  startBotApiEmulator,
  type Update,
} from "../../playground/bot-api-emulator.ts"

type Body = {
  readonly ok: boolean
  readonly result?: unknown
  readonly error_code?: number
  readonly description?: string
  readonly parameters?: { readonly retry_after: number }
}
type Answer = { readonly status: number; readonly body: Body }
type SentMessage = {
  readonly message_id: number
  readonly text?: string
  readonly entities?: ReadonlyArray<{ readonly type: string }>
  readonly reply_markup?: unknown
  readonly document?: { readonly file_id: string; readonly file_name?: string }
}

const student: FakeUser = { id: 1001, first_name: "سارا", username: "sara" }

const call = async (
  emulator: BotApiEmulator,
  method: string,
  params: object = {},
  token = emulator.token,
) => {
  const response = await fetch(`${emulator.url}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  })
  return { status: response.status, body: (await response.json()) as Body } satisfies Answer
}

const updatesOf = (answer: Answer) => answer.body.result as ReadonlyArray<Update>
const sentOf = (answer: Answer) => answer.body.result as SentMessage
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const withEmulator = async (test: (emulator: BotApiEmulator) => Promise<void>) => {
  const emulator = await startBotApiEmulator()
  try {
    await test(emulator)
  } finally {
    await emulator.close()
  }
}

const refusal = (status: number, description: string) => ({
  status,
  body: { ok: false, error_code: status, description },
})

describe("Bot API emulator", { concurrency: true }, () => {
  it("answers in the Bot API envelope, checks the token and refuses unknown methods", () =>
    withEmulator(async (emulator) => {
      const me = await call(emulator, "getMe")
      assert.equal(me.status, 200)
      assert.equal(me.body.ok, true)
      assert.deepEqual((me.body.result as { id: number }).id, 123456)
      assert.deepEqual(await call(emulator, "getMe", {}, "654321:WRONG"), refusal(401, "Unauthorized"))
      assert.deepEqual(await call(emulator, "sendMessageNow"), refusal(404, "Not Found"))
      const viaGet = await fetch(`${emulator.url}/bot${emulator.token}/GETME`)
      assert.equal(viaGet.status, 200, "method names are case-insensitive and GET works, as in Telegram")

      emulator.sendText(student, "سلام")
      const form = await fetch(`${emulator.url}/bot${emulator.token}/sendMessage`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ chat_id: String(student.id), text: "از فرم" }),
      })
      assert.equal(form.status, 200)
      assert.equal(emulator.lastMessage(student.id)?.text, "از فرم")
      assert.deepEqual(
        await call(emulator, "sendMessage", { chat_id: 777, text: "x" }),
        refusal(400, "Bad Request: chat not found"),
      )
      assert.equal(emulator.callsTo("sendMessage").length, 2)
    }))

  it("holds a long poll until an update arrives, or until its timeout", () =>
    withEmulator(async (emulator) => {
      let started = Date.now()
      // a 5 s timeout, so that "answered on push" holds on a loaded machine too
      const poll = call(emulator, "getUpdates", { timeout: 5 })
      setTimeout(() => emulator.sendText(student, "/start ref42"), 50)
      const [update] = updatesOf(await poll)
      assert.ok(Date.now() - started < 4000, "answered on push, not on timeout")
      assert.equal(update?.message?.text, "/start ref42")
      assert.deepEqual(update?.message?.entities, [{ type: "bot_command", offset: 0, length: 6 }])
      assert.equal(update?.message?.chat.type, "private")

      started = Date.now()
      const empty = await call(emulator, "getUpdates", { offset: (update?.update_id ?? 0) + 1, timeout: 1 })
      assert.deepEqual(empty.body, { ok: true, result: [] })
      assert.ok(Date.now() - started >= 900, "held for the whole timeout")
    }))

  it("drops updates only once an offset confirms them, and honours limit", () =>
    withEmulator(async (emulator) => {
      for (const text of ["یک", "دو", "سه"]) emulator.sendText(student, text)
      const ids = (answer: Answer) => updatesOf(answer).map((update) => update.update_id)
      assert.deepEqual(ids(await call(emulator, "getUpdates", { limit: 2 })), [1, 2])
      assert.deepEqual(ids(await call(emulator, "getUpdates")), [1, 2, 3], "unconfirmed updates come again")
      assert.deepEqual(ids(await call(emulator, "getUpdates", { offset: 3 })), [3])
      assert.equal(emulator.pendingUpdates(), 1)
      assert.deepEqual(ids(await call(emulator, "getUpdates", { offset: 4 })), [])
      assert.equal(emulator.pendingUpdates(), 0)
    }))

  it("terminates the older of two long polls, and refuses getUpdates while a webhook is set", () =>
    withEmulator(async (emulator) => {
      const older = call(emulator, "getUpdates", { timeout: 1 })
      await sleep(30)
      const newer = call(emulator, "getUpdates", { timeout: 1 })
      assert.deepEqual(await older, refusal(409, "Conflict: terminated by other getUpdates request"))
      emulator.sendText(student, "سلام")
      assert.equal(updatesOf(await newer).length, 1)

      await call(emulator, "setWebhook", { url: "http://127.0.0.1:9/hook" })
      assert.deepEqual(
        await call(emulator, "getUpdates"),
        refusal(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        ),
      )
    }))

  it("parses HTML like Telegram and refuses markup it cannot parse", () =>
    withEmulator(async (emulator) => {
      emulator.sendText(student, "/start")
      const send = (text: string, parse_mode = "HTML") =>
        call(emulator, "sendMessage", { chat_id: student.id, text, parse_mode })
      const ok = await send(
        `<b>نام</b>: &lt;علی&gt; &amp; &quot;رضا&quot; <a href="https://example.ir">پیوند</a>`,
      )
      assert.equal(ok.status, 200)
      assert.equal(sentOf(ok).text, `نام: <علی> & "رضا" پیوند`)
      assert.deepEqual(
        sentOf(ok).entities?.map((entity) => entity.type),
        ["bold", "text_link"],
      )
      assert.equal(emulator.lastMessage(student.id)?.parse_mode, "HTML")

      for (const bad of ["<x>hi</x>", "a & b", "1 < 2", "<b>bold", "<b><i>x</b></i>", "<span>x</span>"]) {
        const answer = await send(bad)
        assert.equal(answer.status, 400, bad)
        assert.match(answer.body.description ?? "", /^Bad Request: can't parse entities: /, bad)
      }
      // the bot sends HTML only, and so the emulator speaks no other markup
      assert.match(
        (await send("*Done*", "MarkdownV2")).body.description ?? "",
        /unsupported parse_mode MarkdownV2/,
      )
      assert.deepEqual(await send("  "), refusal(400, "Bad Request: message text is empty"))
      assert.deepEqual(await send("<b></b>"), refusal(400, "Bad Request: message text is empty"))
      assert.deepEqual(await send("ب".repeat(4097)), refusal(400, "Bad Request: message is too long"))
      assert.equal(
        (await send(`<b>${"ب".repeat(4096)}</b>`)).status,
        200,
        "the limit counts the text without tags",
      )
    }))

  it("validates keyboards: callback_data is 1–64 bytes, one action per inline button", () =>
    withEmulator(async (emulator) => {
      emulator.sendText(student, "/start")
      const withButtons = (buttons: ReadonlyArray<object>) =>
        call(emulator, "sendMessage", {
          chat_id: student.id,
          text: "؟",
          reply_markup: { inline_keyboard: [buttons] },
        })
      assert.equal((await withButtons([{ text: "ok", callback_data: "x".repeat(64) }])).status, 200)
      const invalid = refusal(400, "Bad Request: BUTTON_DATA_INVALID")
      assert.deepEqual(
        await withButtons([{ text: "فارسی", callback_data: "ا".repeat(33) }]),
        invalid,
        "66 bytes",
      )
      assert.deepEqual(await withButtons([{ text: "خالی", callback_data: "" }]), invalid)
      assert.equal(
        (await withButtons([{ text: "هر دو", callback_data: "a", url: "https://a.ir" }])).status,
        400,
      )
      assert.equal((await withButtons([{ text: "هیچ" }])).status, 400)

      const contactKeyboard = {
        keyboard: [[{ text: "ارسال شماره", request_contact: true }]],
        resize_keyboard: true,
      }
      await call(emulator, "sendMessage", {
        chat_id: student.id,
        text: "شماره؟",
        reply_markup: contactKeyboard,
      })
      assert.equal(emulator.replyKeyboard(student.id)?.keyboard[0]?.[0]?.request_contact, true)
      await call(emulator, "sendMessage", {
        chat_id: student.id,
        text: "ممنون",
        reply_markup: { remove_keyboard: true },
      })
      assert.equal(emulator.replyKeyboard(student.id), undefined)
    }))

  it("edits messages, keeps their history, and refuses edits that change nothing", () =>
    withEmulator(async (emulator) => {
      emulator.sendText(student, "/start")
      const reply_markup = { inline_keyboard: [[{ text: "تأیید", callback_data: "ok" }]] }
      const sent = sentOf(
        await call(emulator, "sendMessage", { chat_id: student.id, text: "پایه؟", reply_markup }),
      )
      const target = { chat_id: student.id, message_id: sent.message_id }
      assert.deepEqual(
        await call(emulator, "editMessageText", { ...target, text: "پایه؟", reply_markup }),
        refusal(
          400,
          "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        ),
      )
      assert.equal(
        (await call(emulator, "editMessageText", { ...target, text: "پایه: دهم", reply_markup })).status,
        200,
      )
      const removed = await call(emulator, "editMessageReplyMarkup", target)
      assert.equal(sentOf(removed).reply_markup, undefined)
      assert.equal(
        (await call(emulator, "editMessageReplyMarkup", target)).status,
        400,
        "already without keyboard",
      )
      assert.deepEqual(
        await call(emulator, "editMessageText", { ...target, message_id: 99, text: "x" }),
        refusal(400, "Bad Request: message to edit not found"),
      )
      const message = emulator.messages(student.id)[0]
      assert.equal(message?.text, "پایه: دهم")
      assert.equal(message?.edits, 2)
      assert.deepEqual(
        message?.history.map((version) => version.text),
        ["پایه؟", "پایه: دهم"],
      )
      assert.equal((await call(emulator, "deleteMessage", target)).status, 200)
      assert.equal(emulator.messages(student.id)[0]?.deleted, true)
      assert.equal(emulator.lastMessage(student.id), undefined)
    }))

  it("delivers button presses and refuses a second answer to the same callback query", () =>
    withEmulator(async (emulator) => {
      emulator.sendText(student, "/start")
      const reply_markup = { inline_keyboard: [[{ text: "دهم", callback_data: "grade:10" }]] }
      const sent = sentOf(
        await call(emulator, "sendMessage", { chat_id: student.id, text: "پایه؟", reply_markup }),
      )
      assert.throws(
        () => emulator.pressButton(student, sent.message_id, "grade:11"),
        /has no button "grade:11"/,
      )
      const press = emulator.pressButton(student, sent.message_id, "grade:10")
      const queryId = press.callback_query.id
      const delivered = updatesOf(await call(emulator, "getUpdates", { offset: 2 }))
      assert.equal(delivered[0]?.callback_query?.message?.message_id, sent.message_id)
      assert.equal(delivered[0]?.callback_query?.data, "grade:10")

      assert.equal(
        (await call(emulator, "answerCallbackQuery", { callback_query_id: queryId, text: "ثبت شد" })).status,
        200,
      )
      const tooOld = refusal(
        400,
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
      )
      assert.deepEqual(await call(emulator, "answerCallbackQuery", { callback_query_id: queryId }), tooOld)
      assert.deepEqual(await call(emulator, "answerCallbackQuery", { callback_query_id: "nope" }), tooOld)
      assert.equal(emulator.callbackAnswers(queryId), 2)
      assert.deepEqual(
        emulator.callbackAnswerLog(queryId).map((answer) => [answer.text, answer.accepted]),
        [
          ["ثبت شد", true],
          [undefined, false],
        ],
      )
    }))

  it("serves injected faults in order, to the calls they match", () =>
    withEmulator(async (emulator) => {
      emulator.sendText(student, "/start")
      const hello = { chat_id: student.id, text: "سلام" }
      emulator.injectFault({ kind: "429", retryAfter: 3, method: "sendMessage" })
      assert.deepEqual(
        await call(emulator, "getMe").then((answer) => answer.status),
        200,
        "other methods unaffected",
      )
      assert.deepEqual(await call(emulator, "sendMessage", hello), {
        status: 429,
        body: {
          ok: false,
          error_code: 429,
          description: "Too Many Requests: retry after 3",
          parameters: { retry_after: 3 },
        },
      })
      assert.equal((await call(emulator, "sendMessage", hello)).status, 200, "consumed")

      emulator.injectFault({ kind: "500" })
      emulator.injectFault({ kind: "502", times: 2 })
      emulator.injectFault({ kind: "401" })
      emulator.injectFault({ kind: "409" })
      assert.equal(emulator.pendingFaults(), 5)
      assert.deepEqual(await call(emulator, "getMe"), refusal(500, "Internal Server Error"))
      assert.deepEqual(await call(emulator, "getMe"), refusal(502, "Bad Gateway"))
      assert.deepEqual(await call(emulator, "getMe"), refusal(502, "Bad Gateway"))
      assert.deepEqual(await call(emulator, "getMe"), refusal(401, "Unauthorized"))
      assert.deepEqual(
        await call(emulator, "getMe"),
        refusal(409, "Conflict: terminated by other getUpdates request"),
      )
      assert.equal((await call(emulator, "getMe")).status, 200)

      emulator.injectFault({ kind: "reset", method: "sendMessage" })
      await assert.rejects(call(emulator, "sendMessage", hello))
      assert.equal(emulator.messages(student.id).length, 1, "a reset before processing sends nothing")
      emulator.injectFault({ kind: "reset", method: "sendMessage", afterProcessing: true })
      await assert.rejects(call(emulator, "sendMessage", hello))
      assert.equal(emulator.messages(student.id).length, 2, "a reset after processing hides a sent message")

      emulator.injectFault({ kind: "delay", ms: 150, method: "getMe" })
      const started = Date.now()
      assert.equal((await call(emulator, "getMe")).status, 200)
      assert.ok(Date.now() - started >= 140)
      assert.deepEqual(
        emulator.calls.filter((recorded) => recorded.fault !== undefined).map((recorded) => recorded.fault),
        ["429", "500", "502", "502", "401", "409", "reset", "reset", "delay"],
      )
    }))

  it("POSTs updates to a webhook in order with the secret header, retrying until it accepts", async () => {
    const received: Array<{ readonly headers: IncomingHttpHeaders; readonly update: Update }> = []
    const hook = createServer(async (request, response) => {
      let body = ""
      for await (const chunk of request) body += chunk
      const update = JSON.parse(body) as Update
      received.push({ headers: request.headers, update })
      if (received.length === 1) {
        response.writeHead(500).end()
        return
      }
      response.writeHead(200, { "content-type": "application/json" })
      // Telegram runs a method the webhook answers with
      const chat_id = update.message?.chat.id
      response.end(
        update.message?.text === "دو" ? JSON.stringify({ method: "sendMessage", chat_id, text: "پاسخ" }) : "",
      )
    })
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve))
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/telegram`
    try {
      await withEmulator(async (emulator) => {
        const set = await call(emulator, "setWebhook", { url: hookUrl, secret_token: "s3cret_token" })
        assert.deepEqual(set.body, { ok: true, result: true })
        emulator.sendText(student, "یک")
        emulator.sendText(student, "دو")
        await emulator.waitFor(() => emulator.lastMessage(student.id)?.text === "پاسخ")
        assert.deepEqual(
          received.map((delivery) => delivery.update.update_id),
          [1, 1, 2],
        )
        assert.ok(
          received.every(
            (delivery) => delivery.headers["x-telegram-bot-api-secret-token"] === "s3cret_token",
          ),
        )
        assert.equal(emulator.pendingUpdates(), 0)
        assert.equal(emulator.callsTo("sendMessage")[0]?.via, "webhook-reply")
        const info = (await call(emulator, "getWebhookInfo")).body.result as {
          url: string
          last_error_message?: string
        }
        assert.equal(info.url, hookUrl)
        assert.match(info.last_error_message ?? "", /500/)
        assert.deepEqual(
          (await call(emulator, "setWebhook", { url: hookUrl, secret_token: "no spaces" })).status,
          400,
        )
        await call(emulator, "deleteWebhook")
        assert.equal((await call(emulator, "getUpdates")).status, 200)
      })
    } finally {
      await new Promise((resolve) => hook.close(resolve))
    }
  })

  it("answers 403 to sends once a student has blocked the bot", () =>
    withEmulator(async (emulator) => {
      emulator.sendText(student, "/start")
      emulator.blockBot(student.id)
      assert.deepEqual(
        await call(emulator, "sendMessage", { chat_id: student.id, text: "یادآوری" }),
        refusal(403, "Forbidden: bot was blocked by the user"),
      )
      const kinds = updatesOf(await call(emulator, "getUpdates")).map((update) => Object.keys(update)[1])
      assert.deepEqual(kinds, ["message", "my_chat_member"])
      emulator.sendText(student, "/start")
      assert.equal(emulator.isBlocked(student.id), false, "writing again restarts the bot")
      assert.equal(
        (await call(emulator, "sendMessage", { chat_id: student.id, text: "خوش آمدید" })).status,
        200,
      )
    }))

  it("releases a held long poll on close()", async () => {
    const emulator = await startBotApiEmulator()
    const arrived = new Promise<void>((done) => {
      const stop = emulator.onChange((event) => {
        if (event.type === "poll") {
          stop()
          done()
        }
      })
    })
    const poll = call(emulator, "getUpdates", { timeout: 30 })
    await arrived // the long poll is held (a fixed sleep is too short on a loaded machine)
    const started = Date.now()
    await emulator.close()
    assert.deepEqual((await poll).body, { ok: true, result: [] })
    assert.ok(Date.now() - started < 10_000, "released, not held for its 30 s")
  })

  it("takes multipart uploads, records files and serves downloads", () =>
    withEmulator(async (emulator) => {
      emulator.sendText(student, "/start")
      const form = new FormData()
      form.set("chat_id", String(student.id))
      form.set("caption", "<b>فهرست</b>")
      form.set("parse_mode", "HTML")
      form.set("document", new Blob(["نام,پایه\n"], { type: "text/csv" }), "students.csv")
      const upload = await fetch(`${emulator.url}/bot${emulator.token}/sendDocument`, {
        method: "POST",
        body: form,
      })
      const sent = ((await upload.json()) as Body).result as SentMessage
      assert.equal(sent.document?.file_name, "students.csv")
      const recorded = emulator.lastMessage(student.id)
      assert.equal(recorded?.plainText, "فهرست")
      assert.equal(Buffer.from(recorded?.file?.content ?? []).toString(), "نام,پایه\n")

      const photo = emulator.sendPhoto(student, { file_unique_id: "receipt-1", caption: "رسید" })
      const largest = photo.message.photo?.at(-1)
      assert.equal(largest?.file_unique_id, "receipt-1")
      const file = (await call(emulator, "getFile", { file_id: largest?.file_id })).body.result as {
        file_path: string
      }
      const download = await fetch(`${emulator.url}/file/bot${emulator.token}/${file.file_path}`)
      assert.deepEqual([...new Uint8Array(await download.arrayBuffer()).slice(0, 2)], [0xff, 0xd8])
      assert.equal((await call(emulator, "getFile", { file_id: "unknown" })).status, 400)

      const commands = [{ command: "start", description: "شروع" }]
      assert.equal((await call(emulator, "setMyCommands", { commands })).status, 200)
      assert.deepEqual(emulator.commands(), commands)
      await assert.rejects(
        emulator.waitFor(() => false, 30),
        /waitFor: not satisfied within 30 ms/,
      )
    }))
})
