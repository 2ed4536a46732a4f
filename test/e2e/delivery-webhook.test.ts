import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import type { BotApiEmulator } from "../../playground/bot-api-emulator.ts"
import { type BotProcess, temporaryDirectory } from "../support/bot-process.ts"
import { startWebhookBot } from "../support/delivery.ts"
import { studentDriver } from "../support/student-driver.ts"

describe("webhook mode: the real bot process, Telegram posting to it", () => {
  let emulator: BotApiEmulator
  let bot: BotProcess
  let port: number

  before(async () => {
    ;({ port, emulator, bot } = await startWebhookBot("/telegram/webhook", {
      RECORDS_DIR: await temporaryDirectory("records-"),
    }))
  })

  after(async () => {
    await bot.stop()
    await emulator.close()
  })

  it("registers a secret path and a secret token, never the token itself", () => {
    const [call] = emulator.callsTo("setWebhook")
    const url = String(call?.params.url)
    assert.equal(url.slice(0, url.lastIndexOf("/")), `http://127.0.0.1:${port}/telegram/webhook/telegram`)
    assert.match(url, /\/telegram\/[0-9a-f]{40}$/)
    assert.match(
      bot.output(),
      /webhook set: http:\/\/127\.0\.0\.1:\d+\/telegram\/webhook\/telegram\/… .*plain http/,
    )
    assert.ok(!url.includes(emulator.token.split(":")[1] ?? "?"))
    assert.match(String(call?.params.secret_token), /^[\w-]{20,}$/)
    assert.deepEqual(emulator.webhookInfo().allowed_updates, ["message", "callback_query"])
    assert.equal(emulator.callsTo("getUpdates").length, 0, "no polling in webhook mode")
  })

  it("registers a student through the webhook from /start to the confirmation, buttons answered once", async () => {
    const ali = studentDriver(emulator, { id: 8001, first_name: "Ali" }, 15_000)
    await ali.register({ first: "علی", last: "رضایی", grade: "دهم", phone: "+989121234567" })
    await emulator.waitFor(() => ali.queries.every((id) => emulator.callbackAnswers(id) === 1), 10_000)
    assert.ok(emulator.webhookDeliveries.length >= 10, "every step came by webhook")
    assert.ok(emulator.webhookDeliveries.every((delivery) => delivery.status === 200))
  })

  it("refuses a wrong or missing secret (401) and a large body (413); GET / answers 200", async () => {
    const path = new URL(String(emulator.callsTo("setWebhook")[0]?.params.url)).pathname
    const secret = String(emulator.callsTo("setWebhook")[0]?.params.secret_token)
    const base = `http://127.0.0.1:${port}`
    emulator.registerUser({ id: 8002, first_name: "X" })
    const update = JSON.stringify({
      // numbered as Telegram numbers it: the bot skips an update older than what its chat has seen
      update_id: emulator.takeUpdateId(),
      message: {
        message_id: 1,
        date: 0,
        chat: { id: 8002, type: "private" },
        from: { id: 8002, first_name: "X" },
        text: "/start",
      },
    })
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      }).then((response) => response.status)
    assert.equal(await post(update, {}), 401)
    assert.equal(await post(update, { "x-telegram-bot-api-secret-token": `${secret}x` }), 401)
    assert.equal(await post(" ".repeat(1024 * 1024), { "x-telegram-bot-api-secret-token": secret }), 413)
    assert.equal((await fetch(`${base}/`)).status, 200)
    assert.equal(emulator.messages(8002).length, 0, "nothing refused reached the bot")

    // the right secret: handled; the same update again (Telegram retrying) is acknowledged, not handled twice
    assert.equal(await post(update, { "x-telegram-bot-api-secret-token": secret }), 200)
    await emulator.waitFor(() => emulator.messages(8002).length >= 2, 10_000)
    assert.equal(await post(update, { "x-telegram-bot-api-secret-token": secret }), 200)
    const ali = studentDriver(emulator, { id: 8002, first_name: "X" }, 15_000)
    ali.say("/help")
    await ali.expect(/راهنما/)
    assert.equal(emulator.messages(8002).length, 3, "welcome, question, help: the repeat got nothing")
    assert.match(bot.output(), /missing or wrong secret token refused/)
  })

  it("stops on SIGTERM with exit 0 and leaves the webhook set for the next start", async () => {
    assert.equal(await bot.stop(), 0)
    assert.ok(emulator.webhookInfo().url.startsWith(`http://127.0.0.1:${port}/telegram/webhook/telegram/`))
    assert.ok(
      !bot.output().includes(emulator.token.split(":")[1] ?? "?"),
      "the token never reaches the output",
    )
  })
})
