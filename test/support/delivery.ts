import type { BotApiEmulator } from "../../src/playground/bot-api-emulator.ts"
import type { BotProcess } from "./bot-process.ts"

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
