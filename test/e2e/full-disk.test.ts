import assert from "node:assert/strict"
import { unlinkSync } from "node:fs"
import { mkdir, readdir } from "node:fs/promises"
import { join } from "node:path"
import { after, describe, it, type TestContext } from "node:test"
import { type BotApiEmulator, startBotApiEmulator } from "../../playground/bot-api-emulator.ts"
import { type BotProcess, startBot } from "../support/bot-process.ts"
import { untilReady } from "../support/delivery.ts"
import { freePort } from "../support/free-port.ts"
import { studentDriver } from "../support/student-driver.ts"
import { fillUp, mountTmpfs, unmount } from "../support/tmpfs.ts"

const ADMIN = { id: 9301, first_name: "Admin" }
const FULL = /حافظهٔ ربات همین حالا پر است.*کد خطا: [A-Z0-9]+/s
const FAILING_ALERT = /نمی‌تواند روی دیسک بنویسد \(دیسک پر است\)/
const RECOVERED_ALERT = /نوشتن روی دیسک دوباره کار می‌کند/

const portOf = (bot: BotProcess) => Number(/http server listening on port (\d+)/.exec(bot.output())?.[1])
const get = async (bot: BotProcess, path: string) => {
  const response = await fetch(`http://127.0.0.1:${portOf(bot)}${path}`)
  return { status: response.status, body: await response.text() }
}

describe("a full disk under the real bot process (tmpfs): every student answered, nothing lost", () => {
  const mounts: Array<string> = []
  let bot: BotProcess | undefined
  let emulator: BotApiEmulator | undefined
  after(async () => {
    if (bot !== undefined && bot.child.exitCode === null) await bot.kill()
    await emulator?.close()
    for (const path of mounts) unmount(path)
  })

  const run = (mode: "polling" | "webhook") => async (t: TestContext) => {
    const volume = await mountTmpfs(24)
    if ("skip" in volume) return t.skip(volume.skip)
    mounts.push(volume.path)
    const usersDir = join(volume.path, "users")
    await mkdir(usersDir)
    if (bot !== undefined && bot.child.exitCode === null) await bot.kill()
    await emulator?.close()
    emulator = await startBotApiEmulator()
    const port = await freePort()
    // as an operator runs it: the data directory (logs included, by default) on the volume that fills up
    bot = startBot(
      {
        BOT_TOKEN: emulator.token,
        TELEGRAM_API_ROOT: emulator.url,
        USERS_DIR: usersDir,
        ADMIN_USER_IDS: String(ADMIN.id),
        ...(mode === "webhook"
          ? { WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`, PORT: String(port) }
          : {}),
      },
      { onlyGiven: true },
    )
    await untilReady(bot, emulator, mode === "webhook" ? "webhook set" : "polling for updates")
    emulator.sendText(ADMIN, "/start")

    const registered = [0, 1, 2].map((index) =>
      studentDriver(emulator as BotApiEmulator, { id: 9310 + index, first_name: `R${index}` }, 15_000),
    )
    for (const [index, student] of registered.entries())
      await student.register({ first: "علی", last: "رضایی", grade: "دهم", phone: `+98912123450${index}` })
    const halfway = studentDriver(emulator, { id: 9320, first_name: "Halfway" }, 15_000)
    halfway.say("/start")
    await halfway.expect(/نام خود را به فارسی/)
    halfway.say("سارا")
    await halfway.expect(/نام خانوادگی/)

    const filler = join(volume.path, "filler")
    const filled = fillUp(filler)
    t.diagnostic(`filled the volume with ${filled} bytes`)

    // Every update gets an answer within 5 s; the time of each is printed.
    const within = 5000
    const answered: Array<number> = []
    const user = (id: number) => ({ id, first_name: `U${id}` })
    /** Sends `text` as the user, and waits for a new message from the bot that matches. */
    const answer = async (id: number, text: string, pattern: RegExp) => {
      const before = emulator?.messages(id).length ?? 0
      const started = Date.now()
      emulator?.sendText(user(id), text)
      await emulator?.waitFor(() => {
        const messages = emulator?.messages(id) ?? []
        return messages.length > before && pattern.test(messages.at(-1)?.plainText ?? "")
      }, within)
      answered.push(Date.now() - started)
    }
    for (const id of [9310, 9311, 9312]) {
      await answer(id, "/start", /خوش آمدید/)
      await answer(id, "/profile", /علی رضایی|رضایی/)
    }
    // A new student's /start needs a draft written. The files' last pages may still take a line or two
    // (a "full" disk has room left in blocks already given to a file), so it may be stored and asked: then
    // the student asks again, until the draft journal's room is gone and the write is refused.
    for (let attempt = 0; ; attempt++) {
      assert.ok(attempt < 40, "a draft write is refused before long")
      await answer(9330, "/start", /نام خود را به فارسی|حافظهٔ ربات همین حالا پر است/)
      if (FULL.test(emulator.messages(9330).at(-1)?.plainText ?? "")) break
    }
    await answer(9320, "محمدی", FULL)
    // The inbox too runs out of room: updates it cannot store are handled all the same.
    const inboxRefused =
      /bot_storage_write_failures_total\{operation="store (updates|an update) in the inbox",reason="full"\} [1-9]/
    for (let attempt = 0; !inboxRefused.test((await get(bot, "/metrics")).body); attempt++) {
      assert.ok(attempt < 40, "an inbox write is refused before long")
      await answer(9310 + (attempt % 3), "/start", /خوش آمدید/)
    }
    // and after it: an update no inbox holds, answered all the same
    await answer(9311, "/profile", /رضایی/)
    const duringFullDisk = [...answered]
    // her step did not advance: the last question she got is still the last name's
    const asked = emulator
      .messages(9320)
      .map((message) => message.plainText ?? "")
      .filter((text) => !FULL.test(text))
    assert.match(asked.at(-1) ?? "", /نام خانوادگی/)

    // health: alive, not ready with the reason, failed writes counted
    for (let probe = 0; probe < 30; probe++) assert.equal((await get(bot, "/healthz")).status, 200)
    const ready = await get(bot, "/readyz")
    assert.equal(ready.status, 503)
    assert.match(ready.body, /no space left in USERS_DIR/)
    const metrics = (await get(bot, "/metrics")).body
    assert.match(metrics, /bot_storage_write_failures_total\{operation="[^"]+",reason="full"\} [1-9]/)
    assert.match(metrics, /bot_storage_writable 0/)

    // the admin: one alert, naming the directory and the free bytes
    const alerts = () => emulator?.messages(ADMIN.id).map((m) => m.plainText ?? "") ?? []
    await emulator.waitFor(() => alerts().some((text) => FAILING_ALERT.test(text)), within)
    assert.equal(alerts().filter((text) => FAILING_ALERT.test(text)).length, 1, alerts().join("\n"))
    assert.ok(alerts().some((text) => text.includes(usersDir) && /فضای آزاد: /.test(text)))

    // space returns: normal within 5 s, without a restart
    unlinkSync(filler)
    const freed = Date.now()
    while ((await get(bot, "/readyz")).status !== 200) {
      assert.ok(Date.now() - freed < within, "ready again within 5 s")
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const recovered = Date.now() - freed
    await emulator.waitFor(() => alerts().some((text) => RECOVERED_ALERT.test(text)), within)
    await answer(9320, "محمدی", /پایهٔ تحصیلی/)
    await answer(9330, "/start", /نام خود را به فارسی/)
    assert.equal(alerts().filter((text) => FAILING_ALERT.test(text)).length, 1)
    assert.equal(alerts().filter((text) => RECOVERED_ALERT.test(text)).length, 1)
    assert.ok((await readdir(usersDir)).includes("user_9310.json"))

    // the log says it once each way, not once per update
    const output = bot.output()
    assert.equal(output.split("storage refuses writes (").length - 1, 1, output)
    assert.equal(output.split("storage takes writes again").length - 1, 1, output)
    if (process.env.FULL_DISK_DEBUG !== undefined) console.log(output, alerts())
    const sorted = duringFullDisk.sort((a, b) => a - b)
    t.diagnostic(
      `full disk: ${sorted.length} of ${sorted.length} updates answered, median ${sorted[Math.floor(sorted.length / 2)]} ms, slowest ${sorted.at(-1)} ms; ready again ${recovered} ms after space returned`,
    )
    console.log(
      `full disk (${mode}): ${sorted.length}/${sorted.length} answered within 5 s (median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms); ready again after ${recovered} ms`,
    )
    if (mode === "webhook")
      assert.ok(
        emulator.webhookDeliveries.every((delivery) => delivery.status === 200),
        "each update answered 200 once handled",
      )
    assert.equal(await bot.stop(), 0)
  }

  it(
    "polling: answers every update while the disk is full, alerts the admin once each way, and is normal within 5 s of space returning",
    run("polling"),
  )
  it(
    "webhook: the same, and an update the inbox cannot store is acknowledged once it is handled",
    run("webhook"),
  )
})
