import assert from "node:assert/strict"
import { readdir, readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Cause, Effect, Option } from "effect"
import type { SinkSettings } from "../../../src/adapters/logging/log-sinks.ts"
import { LogSinks } from "../../../src/adapters/logging/log-sinks.ts"
import { type LogSettings, TslogLogging, wantsJson } from "../../../src/adapters/logging/logger.ts"
import { temporaryDirectory } from "../../support/bot-process.ts"

const TOKEN = "123456789:AAEhBOweik6ad9r_ZtYf-kJ0bXmDn5sLq2w"
const CARD = "6037991234567890"

/** Runs `program` with the real logging layer; returns what reached stdout. */
const withLogging = async (
  settings: Partial<LogSettings & SinkSettings>,
  program: Effect.Effect<void, never, LogSinks>,
) => {
  const stdout: Array<string> = []
  await Effect.runPromise(
    program.pipe(
      Effect.withSpan("Registration.answer"),
      Effect.provide(
        TslogLogging({
          level: "DEBUG",
          json: true,
          dir: undefined,
          secrets: [TOKEN, CARD],
          stdout: (line) => void stdout.push(line),
          ...settings,
        }),
      ),
    ),
  )
  return stdout
}

describe("logging through tslog behind Effect's logger", () => {
  it("writes JSON lines with time, level, message, annotations and the current use case", async () => {
    const lines = await withLogging(
      {},
      Effect.logInfo("student registered").pipe(Effect.annotateLogs({ userId: 5001, grade: "دهم" })),
    )
    assert.equal(lines.length, 1)
    const line = JSON.parse(lines[0] ?? "")
    assert.equal(line.level, "INFO")
    assert.equal(line.msg, "student registered")
    assert.equal(line.userId, 5001)
    assert.equal(line.grade, "دهم")
    assert.equal(line.span, "Registration.answer")
    assert.ok(!Number.isNaN(Date.parse(line.time)))
  })

  it("writes pretty lines for a terminal, and still JSON lines in bot.log", async () => {
    const dir = await temporaryDirectory("pretty-logs-")
    const lines = await withLogging(
      { json: false, dir },
      Effect.logWarning("Bot API slow").pipe(Effect.annotateLogs({ method: "sendMessage" })),
    )
    assert.equal(lines.length, 1)
    assert.throws(() => JSON.parse(lines[0] ?? ""), "not JSON")
    assert.match(lines[0] ?? "", /WARN/)
    assert.match(lines[0] ?? "", /Bot API slow/)
    const file = JSON.parse((await readFile(join(dir, "bot.log"), "utf8")).trim())
    assert.equal(file.msg, "Bot API slow")
    assert.equal(file.method, "sendMessage")
  })

  it("honours the level: WARNING hides info and debug", async () => {
    const lines = await withLogging(
      { level: "WARNING" },
      Effect.all([Effect.logDebug("d"), Effect.logInfo("i"), Effect.logWarning("w"), Effect.logError("e")]),
    )
    assert.deepEqual(
      lines.map((line) => JSON.parse(line).msg),
      ["w", "e"],
    )
  })

  it("chooses JSON in production and pretty lines elsewhere, unless LOG_FORMAT says", () => {
    assert.equal(wantsJson(Option.none(), undefined), false)
    assert.equal(wantsJson(Option.none(), "development"), false)
    assert.equal(wantsJson(Option.none(), "production"), true)
    assert.equal(wantsJson(Option.some("json"), undefined), true)
    assert.equal(wantsJson(Option.some("pretty"), "production"), false)
  })

  it("never lets the token, a phone or the card number through, on stdout or in any file", async () => {
    const dir = await temporaryDirectory("redacted-logs-")
    const stdout = await withLogging(
      { dir },
      Effect.gen(function* () {
        yield* Effect.logInfo(`calling https://api.telegram.org/bot${TOKEN}/getMe`)
        yield* Effect.logWarning("contact shared").pipe(
          Effect.annotateLogs({
            phone: "+989121234567",
            typed: "۰۹۱۲ ۱۲۳ ۴۵۶۷",
            card: "6037-9912-3456-7890",
          }),
        )
        yield* Effect.logError("save failed", Cause.die(new Error(`user typed 09121234567 and ${CARD}`)))
        const sinks = yield* LogSinks
        sinks.performance(JSON.stringify({ note: "9121234567" }))
      }),
    )
    const everything = [stdout.join("\n")]
    for (const name of await readdir(dir)) everything.push(await readFile(join(dir, name), "utf8"))
    const all = everything.join("\n")
    assert.match(all, /contact shared/, "the lines themselves are there")
    assert.match(all, /save failed/)
    for (const secret of [TOKEN, "AAEhBOweik6ad9r", CARD, "6037-9912", "9121234567", "912 123", "۹۱۲"])
      assert.ok(!all.includes(secret), `${secret} leaked`)
    const digits = all.replace(/[^\d]/g, "")
    assert.ok(!digits.includes("9121234567"))
  })

  it("rotates bot.log by size and keeps a bounded number of files", async () => {
    const dir = await temporaryDirectory("rotated-logs-")
    await withLogging(
      { dir, rotation: { maxBytes: 2000, keep: 2 } },
      Effect.forEach(
        Array.from({ length: 100 }, (_, i) => i),
        (i) => Effect.logInfo(`line ${i}`),
        {
          discard: true,
        },
      ),
    )
    const files = (await readdir(dir)).filter((name) => name.startsWith("bot.log")).sort()
    assert.deepEqual(files, ["bot.log", "bot.log.1", "bot.log.2"])
    for (const name of ["bot.log", "bot.log.1", "bot.log.2"]) {
      const text = await readFile(join(dir, name), "utf8")
      assert.ok(Buffer.byteLength(text) <= 2000, `${name} within the size`)
    }
    const newest = (await readFile(join(dir, "bot.log"), "utf8")).trim().split("\n").at(-1) ?? ""
    assert.equal(JSON.parse(newest).msg, "line 99")
  })

  it("goes on with stdout only when LOG_DIR cannot be created", async () => {
    const parent = await temporaryDirectory("blocked-logs-")
    const file = join(parent, "not-a-dir")
    await writeFile(file, "")
    const lines = await withLogging({ dir: join(file, "logs") }, Effect.logInfo("still here"))
    assert.equal(JSON.parse(lines[0] ?? "").msg, "still here")
  })
})
