import assert from "node:assert/strict"
import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import { describe, it } from "node:test"
import { startBotApiEmulator, type Update } from "../../playground/bot-api-emulator.ts"

import {
  type Body,
  call,
  refusal,
  type SentMessage,
  student,
  updatesOf,
  withEmulator,
} from "../support/emulator-calls.ts"

describe("Bot API emulator: faults, webhooks, blocked students, uploads", { concurrency: true }, () => {
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
