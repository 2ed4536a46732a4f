import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import {
  type BotApiEmulator,
  type ChatMessage,
  startBotApiEmulator,
} from "../../playground/bot-api-emulator.ts"
import { replayDraftJournal } from "../../src/adapters/files/draft-journal.ts"
import { type BotProcess, startBot, temporaryDirectory } from "../support/bot-process.ts"
import { studentDriver } from "../support/student-driver.ts"

const STUDENTS = 100
const KILLS = 20

/** The bot's messages of one clean registration, in order: anything else is a reply to an update handled twice. */
const FLOW = [
  /به ربات ثبت‌نام کلاس‌های ریاضی/,
  /نام خود را به فارسی/,
  /نام خانوادگی/,
  /پایهٔ تحصیلی/,
  /رشتهٔ تحصیلی/,
  /استان محل زندگی/,
  /شهر خود را/,
  /شماره موبایل/,
  /شماره تلفن دریافت شد/,
  /بررسی کنید/,
  /ثبت‌نام شما با موفقیت/,
]

/** A seeded generator, so that a failing run can be told apart by its seed. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

/** What the bot first sent in a message (later edits show the answer given). */
const original = (message: ChatMessage) => message.history[0]?.plainText ?? message.plainText ?? ""

describe("kill -9 at random moments while 100 students register", () => {
  let emulator: BotApiEmulator
  let usersDir: string
  let bot: BotProcess
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000)
  const next = random(seed)

  const start = async () => {
    const started = startBot({
      BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.url,
      USERS_DIR: usersDir,
      LOG_LEVEL: "INFO",
    })
    await emulator.waitFor(() => started.output().includes("polling for updates"), 60_000)
    return started
  }

  before(async () => {
    emulator = await startBotApiEmulator()
    usersDir = await temporaryDirectory("crash-replay-")
    bot = await start()
  })

  after(async () => {
    await bot.stop()
    await emulator.close()
  })

  it("every registration completes, no update is applied twice, and duplicate replies are only repeats of the one in flight", async () => {
    const drivers = Array.from({ length: STUDENTS }, (_, index) =>
      studentDriver(emulator, { id: 70_000 + index, first_name: `S${index}` }, 90_000),
    )
    let registering = true
    let kills = 0
    const killer = (async () => {
      while (registering && kills < KILLS) {
        await sleep(100 + next() * 400)
        if (!registering) break
        await bot.kill()
        kills++
        bot = await start()
      }
    })()
    // Each student takes a moment between answers (~20 s in all, where the 20 kills take ~6 s and their
    // restarts): kills fall at every step. A student at the summary confirms only once every kill has fallen,
    // so however slowly a loaded machine restarts the bot, all 100 are registering at every kill.
    const atSummary = (id: number) =>
      emulator.messages(id).some((message) => /بررسی کنید/.test(original(message)))
    const pause = (id: number) => async () => {
      await sleep(kills < KILLS ? 500 + next() * 2500 : next() * 300)
      if (atSummary(id)) await killer
    }
    try {
      await Promise.all(
        drivers.map(async (driver, index) => {
          await sleep(next() * 1000)
          await driver
            .register(
              {
                first: "سارا",
                last: "کریمی",
                grade: "دهم",
                phone: `+98912${String(10_000_000 + index).slice(1)}`,
              },
              pause(driver.user.id),
            )
            .catch((error: unknown) => {
              const transcript = emulator
                .messages(driver.user.id)
                .map((message) => `${message.sender}: ${original(message).slice(0, 60)}`)
              throw new Error(`student ${driver.user.id} stuck:\n${transcript.join("\n")}`, { cause: error })
            })
        }),
      )
    } finally {
      // a failed student must not leave the killer restarting bots behind the test
      registering = false
      await killer
    }

    let duplicates = 0
    const wrong: Array<string> = []
    for (const driver of drivers) {
      const texts = emulator
        .messages(driver.user.id)
        .filter((message) => message.sender === "bot")
        .map(original)
      const seen = new Set<number>()
      for (const text of texts) {
        const step = FLOW.findLastIndex((pattern) => pattern.test(text))
        if (step < 0) wrong.push(`${driver.user.id}: ${text}`)
        else if (seen.has(step)) duplicates++
        else seen.add(step)
      }
      assert.equal(
        seen.size,
        FLOW.length,
        `student ${driver.user.id} saw every step once at least, not ${FLOW.filter((_, step) => !seen.has(step)).join(", ")}`,
      )
    }
    console.log(
      `seed ${seed}: ${kills} kills under ${STUDENTS} registrations, ${duplicates} duplicate replies (${(duplicates / Math.max(kills, 1)).toFixed(1)} per kill), ${wrong.length} replies to an update handled twice`,
    )
    assert.equal(kills, KILLS, "every kill fell while students were registering")
    assert.deepEqual(wrong, [], "no reply answers an update against the state it had already produced")

    for (const driver of drivers) {
      const stored = JSON.parse(await readFile(join(usersDir, `user_${driver.user.id}.json`), "utf8"))
      assert.equal(stored.first_name, "سارا")
      assert.equal(stored.city, "شیراز")
      // saved once: a second save would have made it an edit, with a later last_updated
      assert.equal(stored.last_updated, stored.registration_date, `student ${driver.user.id} saved once`)
    }
    // No update changed a draft twice: each student's draft records carry strictly increasing update ids.
    const journal = await readFile(join(usersDir, "drafts", "drafts.log"), "utf8")
    const marks = new Map<number, number>()
    for (const line of journal.split("\n")) {
      if (line === "") continue
      const record = JSON.parse(line) as { id: number; handled?: number }
      assert.ok(record.handled !== undefined, `a draft record names the update it stores: ${line}`)
      const before = marks.get(record.id)
      assert.ok(before === undefined || record.handled > before, `update ${record.handled} stored once`)
      marks.set(record.id, record.handled)
    }
    assert.equal(replayDraftJournal(journal).drafts.size, 0, "no draft is left behind")
  })
})
