import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { type BotApiEmulator, startBotApiEmulator } from "../../playground/bot-api-emulator.ts"
import { type BotProcess, startBot, temporaryDirectory } from "./bot-process.ts"
import { freePort } from "./free-port.ts"

/**
 * Waits until the bot logs `line` (it takes updates from then on). A bot that does not get there is
 * killed, so that a slow machine fails the test instead of leaving a process that keeps the run open.
 */
export const untilReady = async (bot: BotProcess, emulator: BotApiEmulator, line: string): Promise<void> => {
  try {
    await emulator.waitFor(() => bot.output().includes(line), 60_000)
  } catch (error) {
    await bot.kill()
    throw error
  }
}

/** Waits until the bot's inbox (USERS_DIR/.journal/inbox.log) holds every one of `updates`. */
export const untilStored = async (
  usersDir: string,
  updates: ReadonlyArray<{ readonly update_id: number }>,
  timeoutMs = 10_000,
) => {
  const end = Date.now() + timeoutMs
  for (;;) {
    const inbox = await readFile(join(usersDir, ".journal", "inbox.log"), "utf8").catch(() => "")
    const lines = new Set(inbox.split("\n").map((line) => line.slice(0, line.indexOf(" "))))
    if (updates.every((update) => lines.has(String(update.update_id)))) return
    assert.ok(Date.now() < end, "the updates reached the inbox in time")
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/**
 * The real bot process in webhook mode on a free port, Telegram (the emulator, as a local Bot API server)
 * posting to `path` on plain http; resolves once the webhook is set.
 */
export const startWebhookBot = async (path: string, env: Readonly<Record<string, string>> = {}) => {
  const port = await freePort()
  const emulator = await startBotApiEmulator()
  const bot = startBot({
    BOT_TOKEN: emulator.token,
    TELEGRAM_API_ROOT: emulator.url,
    USERS_DIR: await temporaryDirectory("users-"),
    WEBHOOK_URL: `http://127.0.0.1:${port}${path}`,
    PORT: String(port),
    ...env,
  })
  await untilReady(bot, emulator, "webhook set")
  return { port, emulator, bot }
}
