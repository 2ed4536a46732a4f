import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { mkdtemp } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

const MAIN = resolve(import.meta.dirname, "../../src/main.ts")

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

/** Starts the real bot (src/main.ts) as production does, with the given environment. */
export const startBot = (env: Readonly<Record<string, string>>): BotProcess => {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE ?? "",
      LOG_LEVEL: "DEBUG",
      // Any free port for the health/metrics server, and logs out of the working tree.
      PORT: "0",
      LOG_DIR: mkdtempSync(join(tmpdir(), "bot-logs-")),
      ...env,
    },
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
