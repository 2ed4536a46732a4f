import assert from "node:assert/strict"
import { describe, it } from "node:test"

import {
  type Answer,
  call,
  refusal,
  sentOf,
  sleep,
  student,
  updatesOf,
  withEmulator,
} from "../support/emulator-calls.ts"

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
})
