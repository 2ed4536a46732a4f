import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { mkdtemp } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

const REPOSITORY = resolve(import.meta.dirname, "../..")
const MAIN = join(REPOSITORY, "src/main.ts")

export type BotProcess = {
  readonly child: ChildProcess
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
  /** SIGKILL: no chance to clean up, as in a crash. */
  kill(): Promise<void>
  exited: Promise<number | null>
}

export type StartOptions = {
  /** The working directory (default: this checkout), e.g. a second checkout's. */
  readonly cwd?: string
  /**
   * Only `env` (with PATH, coverage and PORT=0), as an operator sets it: no LOG_LEVEL, no LOG_DIR, so the
   * bot's own defaults decide where logs go.
   */
  readonly onlyGiven?: boolean
  /** The entry point (default: this checkout's src/main.ts), e.g. a read-only copy's. */
  readonly main?: string
  /** Started as the README says, `npm start` in this checkout, instead of node with the entry point. */
  readonly npmStart?: true
}

/** Starts the real bot (src/main.ts) as production does, with the given environment. */
export const startBot = (env: Readonly<Record<string, string>>, options: StartOptions = {}): BotProcess => {
  const [command, args] =
    options.npmStart === true ? ["npm", ["start"]] : [process.execPath, [options.main ?? MAIN]]
  const child = spawn(command, args, {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE ?? "",
      // Any free port for the health/metrics server.
      PORT: "0",
      // Logs out of the working tree.
      ...(options.onlyGiven === true
        ? {}
        : { LOG_LEVEL: "DEBUG", LOG_DIR: mkdtempSync(join(tmpdir(), "bot-logs-")) }),
      ...env,
    },
    ...(options.cwd === undefined
      ? options.npmStart === true
        ? { cwd: REPOSITORY }
        : {}
      : { cwd: options.cwd }),
    stdio: ["ignore", "pipe", "pipe"],
  })
  let output = ""
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)))
  return {
    child,
    output: () => output,
    exited,
    stop: (signal = "SIGTERM") => {
      child.kill(signal)
      return exited
    },
    kill: async () => {
      child.kill("SIGKILL")
      await exited
    },
  }
}

export const temporaryDirectory = (prefix = "bot-") => mkdtemp(join(tmpdir(), prefix))

/** Resolves with the first match of `pattern` in the process's output, polling it. */
export const waitForOutput = async (
  bot: BotProcess,
  pattern: RegExp,
  timeoutMs = 15_000,
): Promise<RegExpMatchArray> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const match = bot.output().match(pattern)
    if (match !== null) return match
    if (Date.now() > deadline) throw new Error(`no ${pattern} in the bot's output:\n${bot.output()}`)
    await new Promise((resume) => setTimeout(resume, 50))
  }
}
