import { startBotApiEmulator } from "../src/playground/bot-api-emulator.ts"
import { startBot } from "./support/bot-process.ts"
import { freshDatabase } from "./support/postgres-server.ts"

const emulator = await startBotApiEmulator()
const url = await freshDatabase()
const bot = startBot({
  BOT_TOKEN: emulator.token,
  TELEGRAM_API_ROOT: emulator.url,
  STORAGE: "postgres",
  DATABASE_URL: url,
})
await new Promise((r) => setTimeout(r, 6000))
console.log(bot.output().slice(0, 3000))
await bot.stop()
await emulator.close()
