import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { Context, Effect, Layer } from "effect"
import { makeRedactor } from "./redact.ts"
import { DEFAULT_ROTATION, openRotatingFile, type Rotation } from "./rotating-file.ts"

export type SinkSettings = {
  /** Where bot.log and performance.log go; undefined writes stdout only. */
  readonly dir: string | undefined
  readonly rotation?: Rotation
  /** Known secrets (bot token, card number), removed from every line wherever they appear. */
  readonly secrets?: ReadonlyArray<string>
  /** Where terminal lines go; process.stdout unless a test listens. */
  readonly stdout?: (line: string) => void
}

/**
 * Every line the bot logs leaves through here, and every line is redacted here first: the bot token,
 * phone numbers and card numbers never reach stdout, bot.log or performance.log.
 */
export const makeLogSinks = (settings: SinkSettings) => {
  const redact = makeRedactor(settings.secrets)
  const toStdout = settings.stdout ?? ((line: string) => void process.stdout.write(`${line}\n`))
  let dir = settings.dir
  if (dir !== undefined) {
    try {
      mkdirSync(dir, { recursive: true })
    } catch (error) {
      process.stderr.write(`LOG_DIR ${dir} cannot be created (${String(error)}): logging to stdout only\n`)
      dir = undefined
    }
  }
  const rotation = settings.rotation ?? DEFAULT_ROTATION
  const nowhere = { write: (_line: string) => {}, close: () => {} }
  const files =
    dir === undefined
      ? { bot: nowhere, performance: nowhere }
      : {
          bot: openRotatingFile(join(dir, "bot.log"), rotation),
          performance: openRotatingFile(join(dir, "performance.log"), rotation, { batched: true }),
        }
  return {
    dir,
    /** A line for the terminal (pretty or JSON). */
    stdout: (line: string) => toStdout(redact(line)),
    /** A JSON line for bot.log: every log line. */
    bot: (line: string) => files.bot.write(redact(line)),
    /** A JSON line for performance.log. */
    performance: (line: string) => files.performance.write(redact(line)),
    close: () => {
      files.bot.close()
      files.performance.close()
    },
  }
}

export type LogSinksService = ReturnType<typeof makeLogSinks>

export class LogSinks extends Context.Tag("LogSinks")<LogSinks, LogSinksService>() {}

export const LogSinksLive = (settings: SinkSettings) =>
  Layer.scoped(
    LogSinks,
    Effect.acquireRelease(
      Effect.sync(() => makeLogSinks(settings)),
      (sinks) => Effect.sync(sinks.close),
    ),
  )
