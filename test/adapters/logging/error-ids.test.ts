import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import { Effect, Layer, Option } from "effect"
import { RandomIds } from "../../../src/adapters/system/ids.ts"
import { StudentRepository } from "../../../src/application/ports/student-repository.ts"
import { temporaryDirectory } from "../../support/bot-process.ts"
import { type ObservedBot, observedBot } from "../../support/observed-bot.ts"

describe("error IDs end to end", () => {
  let bot: ObservedBot | undefined
  after(() => bot?.dispose())

  it("gives a thrown defect an ID that the student reads and the log holds with the cause", async () => {
    const logDir = await temporaryDirectory("error-id-logs-")
    let calls = 0
    const flakyRepository = Layer.succeed(StudentRepository, {
      find: () =>
        Effect.sync(() => {
          calls += 1
          if (calls === 1) throw new TypeError("the disk caught fire")
          return Option.none()
        }),
      save: () => Effect.void,
    })
    bot = observedBot({ logDir, override: Layer.merge(flakyRepository, RandomIds) })

    const handled = await bot.say(9001, "/start")
    assert.deepEqual(handled, {})
    const reply = bot.lastReply(9001).text
    const id = /([2-9A-HJ-NP-Z]{8})\s*$/.exec(reply)?.[1]
    assert.ok(id, `an ID at the end of: ${reply}`)
    assert.match(reply, /خطایی پیش آمد/)

    const logged = (await readFile(join(logDir, "bot.log"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .find((line) => line.errorId === id)
    assert.ok(logged, "the same ID in bot.log")
    assert.equal(logged.level, "ERROR")
    assert.match(logged.msg, new RegExp(id))
    assert.match(logged.msg, /TypeError: the disk caught fire/)
    assert.equal(logged.userId, 9001)
    assert.ok(
      bot.stdout.some((line) => line.includes(id)),
      "and on stdout",
    )

    const performance = (await readFile(join(logDir, "performance.log"), "utf8")).trim().split("\n")
    assert.deepEqual(
      { outcome: JSON.parse(performance[0] ?? "").outcome, error: JSON.parse(performance[0] ?? "").error },
      { outcome: "error", error: "Defect" },
    )

    // The bot goes on serving.
    await bot.say(9001, "/start")
    assert.match(bot.lastReply(9001).text, /نام خود را به فارسی/)
  })

  it("answers a failed button press with the ID as its toast", async () => {
    const broken = observedBot({
      override: Layer.succeed(StudentRepository, {
        find: () => Effect.die(new Error("boom")),
        save: () => Effect.void,
      }),
    })
    try {
      const handled = await broken.act(9002, { _tag: "Button", data: "x", queryId: "q", message: 1 })
      assert.match(handled.notice ?? "", /TESTID42/)
    } finally {
      await broken.dispose()
    }
  })
})
