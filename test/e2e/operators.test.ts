import assert from "node:assert/strict"
import { access, readdir, readFile, rename, symlink } from "node:fs/promises"
import { join, resolve } from "node:path"
import { after, describe, it } from "node:test"
import { type BotApiEmulator, startBotApiEmulator } from "../../playground/bot-api-emulator.ts"
import { type BotProcess, startBot, temporaryDirectory, waitForOutput } from "../support/bot-process.ts"
import { untilReady } from "../support/delivery.ts"
import { studentDriver } from "../support/student-driver.ts"

const REPOSITORY = resolve(import.meta.dirname, "../..")

/** A second working directory, as an operator's checkout: the bot's data files, nothing else of ours. */
const checkout = async () => {
  const work = await temporaryDirectory("checkout-")
  await symlink(join(REPOSITORY, "data"), join(work, "data"))
  return work
}

/** Only the variables an operator sets; PORT=0 is the same for every bot (any free port). */
const operatorEnv = (emulator: BotApiEmulator, usersDir: string) => ({
  BOT_TOKEN: emulator.token,
  TELEGRAM_API_ROOT: emulator.url,
  USERS_DIR: usersDir,
  PAYMENT_CARD_NUMBER: "6037990000001234",
})

/** Registers a student through the bot and has them order the comprehensive course (an order record). */
const registerAndOrder = async (emulator: BotApiEmulator, id: number) => {
  const student = studentDriver(emulator, { id, first_name: "Ali" }, 15_000)
  await student.register({ first: "علی", last: "رضایی", grade: "دهم", phone: "+989121234567" })
  await order(emulator, student)
}

const order = async (emulator: BotApiEmulator, student: ReturnType<typeof studentDriver>) => {
  student.say("/courses")
  await student.expect(/یکی را انتخاب کنید/)
  student.press("دوره‌های ویژه")
  await emulator.waitFor(() => student.buttons().some((label) => label.includes("دوره جامع")))
  student.press("دوره جامع")
  await student.expect(/۵۰۰٬۰۰۰ تومان/)
  student.press("ثبت‌نام و پرداخت")
  await student.expect(/کارت‌به‌کارت/)
}

const ordersIn = async (recordsDir: string) =>
  (await readFile(join(recordsDir, "orders.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line).v.userId as number)

describe("operators: two bots from one checkout, each with its own USERS_DIR", () => {
  const bots: Array<BotProcess> = []
  const emulators: Array<BotApiEmulator> = []
  after(async () => {
    for (const bot of bots) if (bot.child.exitCode === null) await bot.stop()
    for (const emulator of emulators) await emulator.close()
  })

  it("both run and serve; each keeps its records and its logs in its own USERS_DIR", async () => {
    const work = await checkout()
    for (const usersDir of ["bot-a", "bot-b"]) {
      const emulator = await startBotApiEmulator()
      emulators.push(emulator)
      bots.push(startBot(operatorEnv(emulator, usersDir), { cwd: work, onlyGiven: true }))
    }
    const [a, b] = emulators as [BotApiEmulator, BotApiEmulator]
    await Promise.all(
      bots.map((bot, index) => untilReady(bot, emulators[index] as BotApiEmulator, "polling")),
    )
    await Promise.all([registerAndOrder(a, 1001), registerAndOrder(b, 2002)])

    assert.deepEqual(await ordersIn(join(work, "bot-a", "records")), [1001])
    assert.deepEqual(await ordersIn(join(work, "bot-b", "records")), [2002])
    assert.deepEqual((await readdir(work)).sort(), ["bot-a", "bot-b", "data"], "nothing outside USERS_DIR")
    const ports = bots.map((bot) => /http server listening on port (\d+)/.exec(bot.output())?.[1] ?? "?")
    for (const [index, dir] of ["bot-a", "bot-b"].entries()) {
      // Each bot's bot.log is its own: its start-up lines, never the other bot's.
      const log = await readFile(join(work, dir, "logs", "bot.log"), "utf8")
      assert.ok(log.includes(`listening on port ${ports[index]}"`), `${dir}/logs/bot.log is this bot's`)
      assert.ok(
        !log.includes(`listening on port ${ports[1 - index]}"`),
        `${dir}/logs/bot.log has no line of the other`,
      )
    }
    // Outside production the terminal gets pretty lines, not JSON.
    const firstLine = (bots[0]?.output() ?? "").split("\n")[0] ?? ""
    assert.ok(!firstLine.startsWith("{"), `pretty lines on stdout: ${firstLine}`)
  })
})

describe("operators: records in the old default place (./records) are kept", () => {
  let emulator: BotApiEmulator
  const bots: Array<BotProcess> = []
  after(async () => {
    for (const bot of bots) if (bot.child.exitCode === null) await bot.stop()
    await emulator.close()
  })
  const start = (work: string, env: Record<string, string>) => {
    const bot = startBot(env, { cwd: work, onlyGiven: true })
    bots.push(bot)
    return bot
  }

  it("keeps using ./records with a warning saying how to move them, and after the move uses USERS_DIR/records", async () => {
    const work = await checkout()
    emulator = await startBotApiEmulator()
    // The old layout: RECORDS_DIR was `records` in the working directory by default.
    const old = start(work, { ...operatorEnv(emulator, "users"), RECORDS_DIR: "records" })
    await untilReady(old, emulator, "polling")
    await registerAndOrder(emulator, 3001)
    assert.equal(await old.stop(), 0)

    const upgraded = start(work, operatorEnv(emulator, "users"))
    await untilReady(upgraded, emulator, "polling")
    assert.match(
      upgraded.output(),
      /records found in the old default place .*records: still using them there/,
    )
    assert.ok(upgraded.output().includes(`mv ${join(work, "records")} ${join(work, "users", "records")}`))
    await registerAndOrder(emulator, 3002)
    assert.deepEqual(await ordersIn(join(work, "records")), [3001, 3002], "the old records, added to")
    assert.ok(!(await readdir(join(work, "users"))).includes("records"))
    assert.equal(await upgraded.stop(), 0)

    // What the warning says to do; then the bot finds them in USERS_DIR and says nothing.
    await rename(join(work, "records"), join(work, "users", "records"))
    const moved = start(work, operatorEnv(emulator, "users"))
    await untilReady(moved, emulator, "polling")
    await registerAndOrder(emulator, 3003)
    assert.deepEqual(await ordersIn(join(work, "users", "records")), [3001, 3002, 3003])
    assert.ok(!moved.output().includes("old default place"))
    assert.equal(await moved.stop(), 0)
  })
})

describe("operators: webhook scheme", () => {
  it("refuses an http WEBHOOK_URL with Telegram's public API, saying why, before any request", async () => {
    const bot = startBot(
      {
        BOT_TOKEN: "123456:ABC-def",
        USERS_DIR: await temporaryDirectory("users-"),
        WEBHOOK_URL: "http://127.0.0.1:8443/telegram/webhook",
      },
      { onlyGiven: true },
    )
    assert.equal(await bot.exited, 2)
    assert.match(bot.output(), /WEBHOOK_URL: must start with https:\/\/ — Telegram's public Bot API delivers/)
    assert.match(bot.output(), /TELEGRAM_API_ROOT/)
  })
})

describe("operators: npm start", () => {
  it("is the bot itself: SIGTERM to npm stops it cleanly, its lock released and its port closed", async () => {
    // npm signals its script's shell; without `exec` in the script the shell dies and the bot runs on,
    // holding USERS_DIR's lock, so that the next start is refused as a second process
    const usersDir = await temporaryDirectory("npm-start-")
    const bot = startBot({ USERS_DIR: usersDir }, { npmStart: true, onlyGiven: true })
    const address = (await waitForOutput(bot, /Open (http:\/\/127\.0\.0\.1:\d+)\/playground/))[1] ?? ""
    await waitForOutput(bot, /polling for updates/)
    await access(join(usersDir, ".lock"))
    assert.equal(await bot.stop(), 0)
    await assert.rejects(
      access(join(usersDir, ".lock")),
      "the bot removed its lock: it shut down, not only npm",
    )
    await assert.rejects(fetch(`${address}/healthz`), "nothing listens on the bot's port any more")
  })
})
