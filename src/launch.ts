import { ConfigProvider, Effect, Option } from "effect"
import { resolveDataLayout, unwritableDirectories } from "./adapters/files/data-layout.ts"
import { AppConfig, describeConfigError } from "./config.ts"

/**
 * What main.ts needs before it composes anything: the settings (from the environment; the playground's when
 * there is no token), the playground module when it runs, and where the data lives. Each reason not to start
 * — a bad variable, no token in production, a directory the bot cannot write — is one message and an exit.
 */
export const prepareLaunch = async () => {
  const config = Effect.runSync(
    AppConfig.pipe(Effect.withConfigProvider(ConfigProvider.fromEnv()), Effect.either),
  )
  if (config._tag === "Left") {
    process.stderr.write(`Configuration error:\n${describeConfigError(config.left)}\n`)
    process.exit(2)
  }
  const tokenless = Option.isNone(config.right.botToken)
  if (tokenless && config.right.production) {
    process.stderr.write(
      "BOT_TOKEN is not set: the bot needs a token from @BotFather to talk to Telegram.\n" +
        "Set it, e.g. BOT_TOKEN=123456789:AAE... (without NODE_ENV=production, npm start opens the playground)\n",
    )
    process.exit(1)
  }
  // No token: the playground (playground/, beside src/), a development tool — imported only then, and never
  // part of the image's bundle (scripts/build.ts leaves it out).
  const playground = tokenless
    ? await import("../playground/playground.ts").catch((error: unknown) => {
        process.stderr.write(
          `BOT_TOKEN is not set, and this build has no playground (a development tool: npm start in a checkout opens it).\nSet BOT_TOKEN to a token from @BotFather. (${error instanceof Error ? error.message.split("\n")[0] : String(error)})\n`,
        )
        process.exit(1)
      })
    : undefined
  const settings = playground === undefined ? config.right : playground.playgroundSettings(config.right)

  // Everything this bot writes lives under USERS_DIR unless RECORDS_DIR or LOG_DIR names another place.
  const layout = resolveDataLayout(settings)
  const unwritable =
    settings.storage.kind === "files"
      ? unwritableDirectories([
          ["USERS_DIR", layout.usersDir],
          [Option.isSome(settings.recordsDir) ? "RECORDS_DIR" : "USERS_DIR (records)", layout.recordsDir],
        ])
      : []
  if (unwritable.length > 0) {
    process.stderr.write(
      `${unwritable.join("\n")}\nThe bot needs to write its data there; nothing was changed.\n`,
    )
    process.exit(1)
  }
  return { settings, playground, layout }
}
