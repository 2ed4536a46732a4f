import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { type BotApiEmulator, startBotApiEmulator } from "../../playground/bot-api-emulator.ts"
import { type BotProcess, startBot, temporaryDirectory } from "../support/bot-process.ts"
import { untilReady, untilStored } from "../support/delivery.ts"
import { freePort } from "../support/free-port.ts"
import { studentDriver } from "../support/student-driver.ts"

/**
 * One update at a time (MAX_UPDATES_IN_FLIGHT=1) and the first student's reply held up by Telegram:
 * the second student's update is received, stored and confirmed, but not handled, when the bot dies.
 */
const slowFirst = (emulator: BotApiEmulator) => {
  emulator.injectFault({ kind: "delay", ms: 20_000, method: "sendMessage" })
  return {
    first: studentDriver(emulator, { id: 41_001, first_name: "Slow" }, 20_000),
    second: studentDriver(emulator, { id: 41_002, first_name: "Waiting" }, 20_000),
  }
}

/** After the restart: answered once — the greeting and the first question, then /help and nothing else. */
const answeredOnce = async (student: ReturnType<typeof studentDriver>, bot: BotProcess) => {
  await student.expect(/\(مرحلهٔ ۱ از ۷\)/)
  student.say("/help")
  await student.expect(/راهنما/)
  assert.equal(student.botMessageCount(), 3, "welcome, first question, help: nothing twice")
  assert.match(bot.output(), /update\(s\) received before the restart and not handled/)
}

/** The bot against `emulator`, with its students' and records' folders. */
const botEnv = async (emulator: BotApiEmulator) => {
  const usersDir = await temporaryDirectory("users-")
  return {
    usersDir,
    env: {
      BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.url,
      USERS_DIR: usersDir,
      RECORDS_DIR: `${usersDir}-records`,
    },
  }
}

describe("the inbox: an update received and not handled when the bot dies is handled after the restart, once", () => {
  it("polling: fetched, stored and confirmed to Telegram, then SIGKILL before its handling", async () => {
    const emulator = await startBotApiEmulator()
    const { usersDir, env } = await botEnv(emulator)
    let bot = startBot({ ...env, MAX_UPDATES_IN_FLIGHT: "1" })
    try {
      await untilReady(bot, emulator, "polling for updates")
      const { first, second } = slowFirst(emulator)
      await untilStored(usersDir, [first.say("/start")])
      await untilStored(usersDir, [second.say("/start")])
      // the next getUpdates told Telegram it has them: it will never send them again
      await emulator.waitFor(() => emulator.pendingUpdates() === 0, 5000)
      assert.equal(second.botMessageCount(), 0, "not handled yet")
      await bot.kill()

      bot = startBot(env)
      await untilReady(bot, emulator, "polling for updates")
      await answeredOnce(second, bot)
    } finally {
      await bot.stop()
      await emulator.close()
    }
  })

  it("webhook: answered 200, then SIGKILL before its handling", async () => {
    const port = await freePort()
    const emulator = await startBotApiEmulator({ webhookOrigin: `http://127.0.0.1:${port}` })
    const files = await botEnv(emulator)
    const env = { ...files.env, WEBHOOK_URL: "https://bot.example.test/hook", PORT: String(port) }
    let bot = startBot({ ...env, MAX_UPDATES_IN_FLIGHT: "1" })
    try {
      await untilReady(bot, emulator, "webhook set")
      const { first, second } = slowFirst(emulator)
      first.say("/start")
      const update = second.say("/start")
      await emulator.waitFor(
        () => emulator.webhookDeliveries.some((d) => d.update_id === update.update_id && d.status === 200),
        5000,
      )
      assert.equal(second.botMessageCount(), 0, "not handled yet")
      await bot.kill()

      bot = startBot(env)
      await untilReady(bot, emulator, "webhook set")
      await answeredOnce(second, bot)
      assert.equal(
        emulator.webhookDeliveries.filter((d) => d.update_id === update.update_id).length,
        1,
        "Telegram did not send it again: the bot had it",
      )
    } finally {
      await bot.stop()
      await emulator.close()
    }
  })
})
