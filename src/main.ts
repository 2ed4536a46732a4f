import { ConfigProvider, Effect, Layer, Option } from "effect"
import { TslogLogging } from "./adapters/logging/logger.ts"
import { MemoryDraftStore } from "./adapters/memory/memory-draft-store.ts"
import { FileStudentRepository } from "./adapters/storage/file-repository.ts"
import { SystemClock } from "./adapters/system/clock.ts"
import { RandomIds } from "./adapters/system/ids.ts"
import { runMain } from "./adapters/system/run-main.ts"
import { BotApiLive } from "./adapters/telegram/bot-api.ts"
import { TelegramMessenger } from "./adapters/telegram/messenger.ts"
import { pollUpdates } from "./adapters/telegram/polling.ts"
import { BotLive } from "./application/bot.ts"
import { AppConfig, describeConfigError } from "./config.ts"

const config = Effect.runSync(
  AppConfig.pipe(Effect.withConfigProvider(ConfigProvider.fromEnv()), Effect.either),
)
if (config._tag === "Left") {
  process.stderr.write(`Configuration error:\n${describeConfigError(config.left)}\n`)
  process.exit(2)
}
const settings = config.right

if (Option.isNone(settings.botToken)) {
  process.stderr.write(
    "BOT_TOKEN is not set: the bot needs a token from @BotFather to talk to Telegram.\n" +
      "Set it, e.g. BOT_TOKEN=123456789:AAE... npm start\n",
  )
  process.exit(1)
}

const BotApiLayer = BotApiLive({ token: settings.botToken.value, apiRoot: settings.apiRoot })

const Ports = Layer.mergeAll(
  TelegramMessenger,
  FileStudentRepository(settings.usersDir),
  MemoryDraftStore,
  SystemClock,
  RandomIds,
)

const AppLayer = BotLive.pipe(Layer.provideMerge(Ports), Layer.provideMerge(BotApiLayer))

const Logging = TslogLogging({
  level: settings.logLevel,
  json: !process.stdout.isTTY || process.env.NODE_ENV === "production",
})

runMain(pollUpdates.pipe(Effect.provide(AppLayer), Effect.provide(Logging)), (error) =>
  typeof error === "object" && error !== null && "reason" in error ? String(error.reason) : String(error),
)
