import assert from "node:assert/strict"
import { readdir, readFile, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { type BotApiEmulator, startBotApiEmulator } from "../../playground/bot-api-emulator.ts"
import { toLatinDigits } from "../../src/domain/digits.ts"
import { type BotProcess, startBot, temporaryDirectory } from "../support/bot-process.ts"
import { promtoolCheck, sample } from "../support/promtool.ts"
import { studentDriver } from "../support/student-driver.ts"

const CARD = "6037991234567890"

describe("observability end to end: the real bot process, its logs, metrics and health", () => {
  let emulator: BotApiEmulator
  let bot: BotProcess
  let usersDir: string
  let logDir: string
  let base: string
  let pushed = 0

  before(async () => {
    emulator = await startBotApiEmulator()
    usersDir = await temporaryDirectory("obs-users-")
    logDir = await temporaryDirectory("obs-logs-")
    bot = startBot({
      BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.url,
      USERS_DIR: usersDir,
      LOG_DIR: logDir,
      PAYMENT_CARD_NUMBER: CARD,
      LOG_LEVEL: "debug",
    })
    await emulator.waitFor(() => bot.output().includes("polling for updates"), 60_000)
    const port = /http server listening on port (\d+)/.exec(bot.output())?.[1]
    assert.ok(port, "the bot says where its HTTP server listens")
    base = `http://127.0.0.1:${port}`
  })

  after(async () => {
    await bot.stop()
    await emulator.close()
  })

  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`)
    return { status: response.status, body: await response.text() }
  }

  it("is alive and ready", async () => {
    assert.equal((await get("/healthz")).status, 200)
    const ready = await get("/readyz")
    assert.equal(ready.status, 200, ready.body)
  })

  it("limits a flood with one notice, answers every button, and leaves another student's registration alone", async () => {
    const flooder = studentDriver(emulator, { id: 6001, first_name: "Flood" })
    const ali = studentDriver(emulator, { id: 6002, first_name: "Ali" })
    flooder.say("/start")
    await flooder.expect(/نام خود را به فارسی/)
    flooder.say("بهرام")
    await flooder.expect(/نام خانوادگی/)
    flooder.say("کریمی")
    await flooder.expect(/پایهٔ تحصیلی/)
    pushed += 3
    // All at once, before the bot sees any of it: 30 presses of the same button, 30 messages.
    for (let i = 0; i < 30; i += 1) flooder.press("دهم")
    for (let i = 0; i < 30; i += 1) flooder.say(i % 2 === 0 ? "09121234567" : "سلام")
    pushed += 60

    await ali.answerUpToMajor({ first: "علی", last: "رضایی", grade: "یازدهم" })
    ali.press("ریاضی")
    await ali.expect(/استان محل زندگی/)
    ali.press("بعدی")
    await emulator.waitFor(() => ali.buttons().some((label) => label.includes("فارس")))
    ali.press("فارس")
    await ali.expect(/شهر خود را/)
    ali.press("شیراز")
    await ali.expect(/شماره موبایل/)
    ali.shareContact("+989121234567")
    await ali.expect(/بررسی کنید/)
    ali.press("تایید")
    await ali.expect(/ثبت‌نام شما با موفقیت/)
    pushed += 10

    const queries = [...flooder.queries, ...ali.queries]
    await emulator.waitFor(() => queries.every((id) => emulator.callbackAnswers(id) >= 1), 10_000)
    for (const id of queries) assert.equal(emulator.callbackAnswers(id), 1, `query ${id} answered once`)
    await emulator.waitFor(() => emulator.pendingUpdates() === 0, 10_000)

    const notices = (id: number) => emulator.messages(id).filter((m) => m.plainText?.startsWith("⏳"))
    assert.equal(notices(6001).length, 1, "one notice for the flood")
    assert.match(notices(6001)[0]?.plainText ?? "", /ثانیهٔ دیگر دوباره تلاش کنید/)
    assert.equal(notices(6002).length, 0)
    const toasts = flooder.queries.map((id) => emulator.callbackAnswerLog(id)[0]?.text ?? "")
    // 17 presses fit the burst (3 tokens went on /start and the names); the 13 after it are limited and
    // get the notice as toast — or, when their turn in the chat's queue came after 0.8 s, the empty
    // answer that stops every spinner in time (README, Delivery).
    const limitedOrLate = toasts.filter((text) => text.startsWith("⏳") || text === "")
    assert.ok(limitedOrLate.length >= 13, `limited presses get the notice as toast (${toasts.join(" | ")})`)
  })

  it("exposes valid metrics that count the updates it handled", async () => {
    const metrics = await get("/metrics")
    assert.equal(metrics.status, 200)
    const check = promtoolCheck(metrics.body)
    assert.ok(check.ok, check.output)
    const kinds = ["Command", "Text", "Button", "Contact"]
    const received = kinds.reduce(
      (sum, kind) => sum + (sample(metrics.body, `bot_updates_received_total{kind="${kind}"}`) ?? 0),
      0,
    )
    assert.equal(received, pushed)
    const limited = kinds.reduce(
      (sum, kind) =>
        sum + (sample(metrics.body, `bot_updates_handled_total{kind="${kind}",outcome="limited"}`) ?? 0),
      0,
    )
    assert.ok(limited >= 40 && limited <= 43, `the flood beyond the burst of 20 is limited (${limited})`)
    assert.ok((sample(metrics.body, 'bot_api_calls_total{method="getUpdates",outcome="ok"}') ?? 0) >= 1)
    assert.equal(
      sample(
        metrics.body,
        'bot_use_case_duration_seconds_count{use_case="Registration.confirm",outcome="ok"}',
      ),
      1,
    )
    assert.equal(sample(metrics.body, 'bot_active_students{window="5m"}'), 2)
  })

  it("is not ready while storage cannot be written, and a failure gets an error ID in reply and log", async () => {
    await rm(usersDir, { recursive: true, force: true })
    await writeFile(usersDir, "a file where the directory should be")
    const ready = await get("/readyz")
    assert.equal(ready.status, 503)
    assert.match(JSON.parse(ready.body).reason, /^storage: not writable/)

    const sara = studentDriver(emulator, { id: 6003, first_name: "Sara" })
    sara.say("/start")
    pushed += 1
    const reply = await sara.expect(/خطایی پیش آمد/)
    const id = /([2-9A-HJ-NP-Z]{8})\s*$/.exec(reply.plainText ?? "")?.[1]
    assert.ok(id, "the student reads an error ID")
    await emulator.waitFor(() => bot.output().includes(id))
    const logged = (await readFile(join(logDir, "bot.log"), "utf8"))
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line))
      .find((line) => line.errorId === id)
    assert.equal(logged?.level, "ERROR")
    assert.match(logged?.msg ?? "", /StorageError/)

    await rm(usersDir)
    assert.equal((await get("/readyz")).status, 200, "ready again once storage is back")
  })

  it("stops cleanly, and no log holds the token, a phone number or the card number", async () => {
    assert.equal(await bot.stop(), 0)
    const files = await readdir(logDir)
    assert.ok(files.includes("bot.log") && files.includes("performance.log"), files.join(", "))
    const logs = [bot.output()]
    for (const name of files) logs.push(await readFile(join(logDir, name), "utf8"))
    const all = toLatinDigits(logs.join("\n"))

    const botLog = await readFile(join(logDir, "bot.log"), "utf8")
    assert.ok(botLog.includes(`"level":"ERROR"`), "bot.log has every line, the error included")
    const performance = (await readFile(join(logDir, "performance.log"), "utf8")).trim().split("\n")
    const entries = performance.map((line) => JSON.parse(line))
    const updates = entries.filter((line) => line.event === "update")
    assert.ok(
      updates.every((line) => line.outcome === "error" || line.durationMs >= 1000),
      "a line of its own only for a failed or slow update",
    )
    const summaries = entries.filter((line) => line.event === "summary")
    assert.ok(summaries.length > 0, "and a summary at shutdown")
    assert.equal(
      summaries.reduce((sum, line) => sum + line.requests, 0),
      pushed,
      "which counts every handled update",
    )

    const secret = emulator.token.split(":")[1] ?? "?"
    assert.ok(!all.includes(secret), "no bot token")
    assert.ok(!/912[\s\-\u200c]?123[\s\-\u200c]?4567/.test(all), "no phone number")
    assert.ok(!/6037[\s-]?9912[\s-]?3456[\s-]?7890/.test(all), "no card number")
  })
})
