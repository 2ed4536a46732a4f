import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Duration, Effect, Layer } from "effect"
import { makeMemoryMessenger } from "../../../src/adapters/memory/memory-messenger.ts"
import { makeMemoryUpdateJournal } from "../../../src/adapters/memory/memory-update-journal.ts"
import { ANSWER_BUTTON_WITHIN, makeUpdateJobs } from "../../../src/adapters/telegram/dispatch.ts"
import { makeUpdateScheduler } from "../../../src/adapters/telegram/scheduler.ts"
import { Bot } from "../../../src/application/bot.ts"
import { Messenger } from "../../../src/application/ports/messenger.ts"
import { UpdateJournal } from "../../../src/application/ports/update-journal.ts"

const press = (updateId: number, queryId: string, data: string) => ({
  update_id: updateId,
  callback_query: {
    id: queryId,
    from: { id: 42, is_bot: false, first_name: "Ali" },
    message: { message_id: 7, date: 0, chat: { id: 42, type: "private" } },
    data,
  },
})

describe("update jobs: a pressed button is answered once, within the second Telegram allows", () => {
  it("answers with the bot's notice when handling is quick, and at once with nothing when it is slow", async () => {
    const messenger = makeMemoryMessenger()
    const answeredAt = new Map<string, number>()
    const started = Date.now()
    // the bot takes 1.5 s over "slow" presses and answers every press with a notice
    const bot = Layer.succeed(
      Bot,
      Bot.of({
        handle: (incoming) =>
          Effect.gen(function* () {
            if (incoming.event._tag === "Button" && incoming.event.data === "slow")
              yield* Effect.sleep(Duration.millis(1500))
            return { notice: "done" }
          }),
      }),
    )
    const timed = {
      ...messenger.service,
      answerButton: (queryId: string, notice?: string) =>
        messenger.service
          .answerButton(queryId, notice)
          .pipe(Effect.tap(() => Effect.sync(() => answeredAt.set(queryId, Date.now() - started)))),
    }
    await Effect.runPromise(
      Effect.gen(function* () {
        const toJob = yield* makeUpdateJobs
        const scheduler = yield* makeUpdateScheduler({ maxInFlight: 4 })
        for (const [n, data] of [
          [1, "quick"],
          [2, "slow"],
        ] as const) {
          const job = toJob(press(n, `q${n}`, data))
          assert.ok(job !== undefined)
          assert.equal(yield* scheduler.submit({ ...job, key: n }), "accepted")
        }
        assert.equal(yield* scheduler.close(Duration.seconds(5)), 0)
      }).pipe(
        Effect.scoped,
        Effect.provide(bot),
        Effect.provideService(Messenger, timed),
        Effect.provideService(UpdateJournal, makeMemoryUpdateJournal().service),
      ),
    )
    assert.deepEqual(messenger.answers.get("q1"), ["done"])
    // the slow one: answered empty by the watchdog, its later notice dropped
    assert.deepEqual(messenger.answers.get("q2"), [undefined])
    const slow = answeredAt.get("q2") ?? 0
    const within = Duration.toMillis(ANSWER_BUTTON_WITHIN)
    assert.ok(slow >= within - 5 && slow < 1400, `answered at ${slow} ms, before the handling ended`)
  })
})
