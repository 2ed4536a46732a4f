import assert from "node:assert/strict"
import { readFile, stat } from "node:fs/promises"
import { join } from "node:path"
import { describe, it } from "node:test"
import { type BotApiEmulator, startBotApiEmulator } from "../../playground/bot-api-emulator.ts"
import { MENU_TEXTS } from "../../src/application/common/menu-texts.ts"
import { type BotProcess, startBot, temporaryDirectory } from "../support/bot-process.ts"
import { untilReady, untilStored } from "../support/delivery.ts"
import { studentDriver } from "../support/student-driver.ts"

const start = async (emulator: BotApiEmulator, usersDir: string, env: Record<string, string> = {}) => {
  const bot = startBot({
    BOT_TOKEN: emulator.token,
    TELEGRAM_API_ROOT: emulator.url,
    USERS_DIR: usersDir,
    RECORDS_DIR: `${usersDir}-records`,
    ...env,
  })
  await untilReady(bot, emulator, "polling for updates")
  return bot
}

const portOf = (bot: BotProcess) => Number(/http server listening on port (\d+)/.exec(bot.output())?.[1])

/** Update ids the bot has fetched with getUpdates so far. */
const fetched = (emulator: BotApiEmulator) =>
  new Set(
    emulator
      .callsTo("getUpdates")
      .flatMap((call) => {
        const response = call.response as { result?: ReadonlyArray<{ update_id: number }> } | undefined
        return response?.result ?? []
      })
      .map((update) => update.update_id),
  )

describe("delivery: order, restarts and shutdown of the real bot process", () => {
  it("keeps every chat's order with 200 students writing at once", async () => {
    const emulator = await startBotApiEmulator()
    const bot = await start(emulator, await temporaryDirectory("users-"))
    try {
      const students = Array.from({ length: 200 }, (_, i) =>
        studentDriver(emulator, { id: 10_000 + i, first_name: `S${i}` }, 30_000),
      )
      // round by round, as Telegram would interleave them: every chat's five messages are in flight together
      for (const text of ["/start", "/help", "/profile", "/xyz", "علی"])
        for (const student of students) student.say(text)
      await emulator.waitFor(() => students.every((student) => student.botMessageCount() >= 6), 30_000)
      const expected = [
        MENU_TEXTS.welcome,
        "(مرحلهٔ ۱ از ۷)",
        MENU_TEXTS.help,
        MENU_TEXTS.notRegistered,
        MENU_TEXTS.unknownCommand,
        "(مرحلهٔ ۲ از ۷)",
      ].map((text) => text.slice(0, 12))
      for (const student of students) {
        const texts = emulator
          .messages(student.user.id)
          .map((message) => (message.plainText ?? "").slice(0, 12))
        assert.deepEqual(texts, expected, `chat ${student.user.id} in order`)
      }
    } finally {
      await bot.stop()
      await emulator.close()
    }
  })

  it("after a crash, updates Telegram sends again are not handled twice: no second reply, no second write", async () => {
    const emulator = await startBotApiEmulator()
    const usersDir = await temporaryDirectory("users-")
    let bot = await start(emulator, usersDir)
    const ali = studentDriver(emulator, { id: 6001, first_name: "Ali" }, 15_000)
    try {
      await ali.answerUpToMajor({ first: "علی", last: "رضایی", grade: "دهم" })
      ali.press("ریاضی")
      await ali.expect(/استان/)
      ali.press("تهران")
      await ali.expect(/شهر خود/)
      ali.press("تهران")
      await ali.expect(/شماره موبایل/)
      ali.shareContact("09121234567")
      await ali.expect(/بررسی کنید/)

      // Once the bot is idle in a long poll, hold up the getUpdates after it: Telegram will not hear of
      // the offset past the next two updates before the crash
      await emulator.waitFor(() => emulator.pendingUpdates() === 0, 30_000)
      emulator.injectFault({ kind: "delay", ms: 3000, method: "getUpdates" })
      ali.press("تایید")
      const confirm = ali.queries.at(-1) ?? "?"
      const profile = emulator.sendText(ali.user, "/profile")
      await ali.expect(/پروفایل شما/)
      const journal = join(usersDir, ".journal", "handled-updates.log")
      for (let i = 0; i < 100; i++) {
        const text = await readFile(journal, "utf8").catch(() => "")
        if (text.includes(`\n${profile.update_id} `) || text.startsWith(`${profile.update_id} `)) break
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      const file = join(usersDir, "user_6001.json")
      const written = { text: await readFile(file, "utf8"), mtime: (await stat(file)).mtimeMs }
      await bot.kill()
      assert.ok(emulator.pendingUpdates() >= 2, "the crash came before the offset moved past them")

      bot = await start(emulator, usersDir)
      await emulator.waitFor(() => emulator.pendingUpdates() === 0, 30_000)
      const texts = emulator.messages(6001).map((message) => message.plainText ?? "")
      assert.equal(texts.filter((text) => /ثبت‌نام شما با موفقیت/.test(text)).length, 1, "one confirmation")
      assert.equal(texts.filter((text) => /پروفایل شما/.test(text)).length, 1, "one profile card")
      assert.equal(emulator.callbackAnswers(confirm), 1, "the button answered once")
      assert.equal(await readFile(file, "utf8"), written.text)
      assert.equal((await stat(file)).mtimeMs, written.mtime, "the student's file was not written again")
      // and the bot goes on serving
      ali.say("/help")
      await ali.expect(/راهنما/)
    } finally {
      await bot.stop()
      await emulator.close()
    }
  })

  it("on SIGTERM with 50 students mid-flow: not ready, every received update answered, offset confirmed, exit 0", async () => {
    const emulator = await startBotApiEmulator()
    const usersDir = await temporaryDirectory("users-")
    const bot = await start(emulator, usersDir)
    try {
      const students = Array.from({ length: 50 }, (_, i) =>
        studentDriver(emulator, { id: 20_000 + i, first_name: `S${i}` }),
      )
      for (const student of students) student.say("/start")
      await Promise.all(students.map((student) => student.expect(/نام خود را به فارسی/)))
      await emulator.waitFor(() => emulator.pendingUpdates() === 0, 30_000)
      // every answer now takes a while, so SIGTERM finds them all in flight
      emulator.injectFault({ kind: "delay", ms: 1500, method: "sendMessage", times: 50 })
      const updates = students.map((student) => student.say("علی"))
      await emulator.waitFor(() => updates.every((update) => fetched(emulator).has(update.update_id)), 15_000)
      // the bot has them in hand once they are in its inbox (stored before the next getUpdates confirms them)
      await untilStored(usersDir, updates)
      const stopping = Date.now()
      const exited = bot.stop()
      let readiness: { status: number; body: string } | undefined
      let failure: unknown
      for (let i = 0; i < 50 && readiness?.status !== 503; i++) {
        readiness = await fetch(`http://127.0.0.1:${portOf(bot)}/readyz`).then(
          async (response) => ({ status: response.status, body: await response.text() }),
          (error) => {
            failure = error
            return undefined
          },
        )
        if (readiness?.status !== 503) await new Promise((resolve) => setTimeout(resolve, 20))
      }
      assert.ok(
        readiness !== undefined,
        `/readyz answers during shutdown (${String((failure as Error | undefined)?.cause ?? failure)})`,
      )
      assert.equal(readiness?.status, 503, "not ready while shutting down")
      assert.match(readiness?.body ?? "", /shutting down/)
      assert.equal(await exited, 0)
      assert.ok(Date.now() - stopping < 10_000, "within the 10 s deadline")
      for (const student of students)
        assert.match(student.last()?.plainText ?? "", /نام خانوادگی/, `student ${student.user.id} answered`)
      assert.equal(emulator.pendingUpdates(), 0, "the offset was confirmed past every handled update")
      assert.match(bot.output(), /every update in flight was handled/)
    } finally {
      await emulator.close()
    }
  })

  it("a second signal exits at once", async () => {
    const emulator = await startBotApiEmulator()
    const bot = await start(emulator, await temporaryDirectory("users-"))
    try {
      const student = studentDriver(emulator, { id: 30_001, first_name: "S" }, 15_000)
      emulator.injectFault({ kind: "delay", ms: 20_000, method: "sendMessage" })
      const update = student.say("/start")
      await emulator.waitFor(() => fetched(emulator).has(update.update_id), 5000)
      bot.child.kill("SIGTERM")
      await emulator.waitFor(() => bot.output().includes("shutting down"), 5000)
      assert.notEqual(await bot.stop("SIGINT"), 0, "the second signal does not wait for the deadline")
    } finally {
      if (bot.child.exitCode === null) await bot.kill()
      await emulator.close()
    }
  })

  it("stops with a clear reason when Telegram rejects the token", async () => {
    const emulator = await startBotApiEmulator()
    const bot = startBot({
      BOT_TOKEN: "999:WRONG",
      TELEGRAM_API_ROOT: emulator.url,
      USERS_DIR: await temporaryDirectory("users-"),
      RECORDS_DIR: await temporaryDirectory("records-"),
    })
    try {
      assert.equal(await bot.exited, 1)
      assert.match(bot.output(), /BOT_TOKEN rejected by Telegram/)
      assert.ok(!bot.output().includes("WRONG"), "the token never reaches the output")
    } finally {
      await emulator.close()
    }
  })
})
