import assert from "node:assert/strict"
import { copyFile, readdir, readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { type BotApiEmulator, startBotApiEmulator } from "../../playground/bot-api-emulator.ts"
import { replayDraftJournal } from "../../src/adapters/files/draft-journal.ts"
import { type BotProcess, startBot, temporaryDirectory } from "../support/bot-process.ts"
import { studentDriver } from "../support/student-driver.ts"

const FIXTURES = join(import.meta.dirname, "../fixtures/legacy")

describe("storage end to end: the real bot process, killed and restarted", () => {
  let emulator: BotApiEmulator
  let usersDir: string
  let env: Record<string, string>
  let bot: BotProcess

  const start = async () => {
    const started = startBot(env)
    await emulator.waitFor(() => started.output().includes("polling for updates"), 60_000)
    return started
  }

  before(async () => {
    emulator = await startBotApiEmulator()
    usersDir = await temporaryDirectory("users-")
    env = {
      BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.url,
      USERS_DIR: usersDir,
      RECORDS_DIR: await temporaryDirectory("records-"),
    }
    await copyFile(join(FIXTURES, "user_101.json"), join(usersDir, "user_101.json"))
    bot = await start()
  })

  after(async () => {
    await bot.stop()
    await emulator.close()
  })

  it("refuses to start a second process on the same USERS_DIR, naming the one that holds it", async () => {
    const second = startBot(env)
    assert.equal(await second.exited, 1)
    assert.match(second.output(), /is in use by another bot process \(pid \d+ on /)
    assert.match(second.output(), new RegExp(`pid ${bot.child.pid}`))
  })

  it("resumes a registration at the same step after a SIGKILL", async () => {
    const sara = studentDriver(emulator, { id: 6001, first_name: "Sara" })
    sara.say("/start")
    await sara.expect(/نام خود را به فارسی/)
    sara.say("سارا")
    await sara.expect(/نام خانوادگی/)
    sara.say("کریمی")
    await sara.expect(/پایهٔ تحصیلی/)
    await bot.kill()

    bot = await start()
    // The question's buttons from before the crash still work: the draft was on disk.
    sara.press("دهم")
    await sara.expect(/رشتهٔ تحصیلی/)
    sara.say("/start")
    await sara.expect(/رشتهٔ تحصیلی/)
    // The draft is written right after the question is sent: wait for it rather than race it.
    const latestDraft = async () => {
      const journal = await readFile(join(usersDir, "drafts", "drafts.log"), "utf8")
      const { drafts } = replayDraftJournal(journal.slice(0, journal.lastIndexOf("\n") + 1))
      return drafts.get(6001)
    }
    let draft = await latestDraft()
    for (let tries = 0; draft?.conversation.draft.step !== "major" && tries < 50; tries++) {
      await new Promise((done) => setTimeout(done, 100))
      draft = await latestDraft()
    }
    assert.ok(draft !== undefined)
    assert.equal(draft.conversation.draft.step, "major")
    assert.equal(draft.conversation.draft.answers.lastName, "کریمی")
  })

  it("sets a damaged file aside, asks that student to register again, and keeps serving", async () => {
    const reza = studentDriver(emulator, { id: 6002, first_name: "Reza" })
    await writeFile(join(usersDir, "user_6002.json"), '{"user_id": 6002, "first_name": "ر')
    reza.say("/profile")
    const notice = await emulator.waitFor(() =>
      emulator.messages(6002).find((message) => /دوباره ثبت‌نام کنید/.test(message.plainText ?? "")),
    )
    const errorId = /کد پیگیری: ([A-Z0-9]+)/.exec(notice.plainText ?? "")?.[1]
    assert.ok(errorId, "the notice carries an error ID")
    await reza.expect(/هنوز ثبت‌نام نکرده‌اید/)
    const names = await readdir(usersDir)
    assert.ok(names.includes(`user_6002.json.${errorId}.corrupt`))
    assert.ok(!names.includes("user_6002.json"))
    assert.match(bot.output(), new RegExp(`student record damaged \\[${errorId}\\]`))

    reza.say("/start")
    await reza.expect(/نام خود را به فارسی/)
    // Another student, from the Python version's files, is served as before.
    const ali = studentDriver(emulator, { id: 101, first_name: "Ali" })
    ali.say("/profile")
    await ali.expect(/پروفایل شما/)
  })
})
