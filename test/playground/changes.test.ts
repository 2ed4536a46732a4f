import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Duration, Effect, Fiber, TestClock, TestContext } from "effect"
import { createChangeFeed } from "../../playground/changes.ts"
import type { ApiCall, EmulatorEvent } from "../../playground/emulator-types.ts"

/** A stand-in for the emulator's onChange: the test fires the events. */
const events = () => {
  const listeners = new Set<(event: EmulatorEvent) => void>()
  return {
    onChange: (listener: (event: EmulatorEvent) => void) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    fire: (event: EmulatorEvent) => {
      for (const listener of listeners) listener(event)
    },
    listening: () => listeners.size,
  }
}

const call = (method: string, params: Record<string, unknown> = {}, status = 200): EmulatorEvent => {
  const apiCall: ApiCall = { method, params, at: 0, response: {}, status, fault: undefined, via: "http" }
  return { type: "call", call: apiCall }
}

const run = <A>(effect: Effect.Effect<A>) =>
  Effect.runPromise(effect.pipe(Effect.provide(TestContext.TestContext)))

describe("the playground's change feed", () => {
  it("answers at once when the page is behind, and starts above 0", async () => {
    const feed = createChangeFeed(events().onChange)
    assert.equal(await run(feed.after(0, Duration.seconds(20))), 1)
  })

  it("holds a page that is up to date until the bot does something", async () => {
    const emulator = events()
    const feed = createChangeFeed(emulator.onChange)
    const version = await run(
      Effect.gen(function* () {
        const waiting = yield* Effect.fork(feed.after(1, Duration.seconds(20)))
        yield* Effect.yieldNow()
        emulator.fire(call("getUpdates"))
        yield* TestClock.adjust(Duration.seconds(1))
        assert.equal(waiting.unsafePoll(), null, "a long poll answering is no news")
        emulator.fire(call("sendMessage", { chat_id: 7001, text: "سلام" }))
        return yield* Fiber.join(waiting)
      }),
    )
    assert.equal(version, 2)
  })

  it("gives up after the hold time with the same version", async () => {
    const feed = createChangeFeed(events().onChange)
    const version = await run(
      Effect.gen(function* () {
        const waiting = yield* Effect.fork(feed.after(1, Duration.seconds(20)))
        yield* TestClock.adjust(Duration.seconds(20))
        return yield* Fiber.join(waiting)
      }),
    )
    assert.equal(version, 1)
  })

  it("keeps the bot's answer to a button as a toast for whoever pressed it", () => {
    const emulator = events()
    const feed = createChangeFeed(emulator.onChange)
    feed.pressed("q1", 7001)
    emulator.fire(call("answerCallbackQuery", { callback_query_id: "q1", text: "ذخیره شد" }))
    emulator.fire(call("answerCallbackQuery", { callback_query_id: "q2", text: "someone else's" }))
    emulator.fire(call("answerCallbackQuery", { callback_query_id: "q1", text: "refused" }, 400))
    assert.deepEqual(feed.toast(7001), { id: 1, text: "ذخیره شد", alert: false })
    feed.pressed("q3", 7001)
    emulator.fire(call("answerCallbackQuery", { callback_query_id: "q3", text: "!", show_alert: true }))
    assert.deepEqual(feed.toast(7001), { id: 2, text: "!", alert: true })
    assert.equal(feed.toast(7002), undefined)
  })

  it("wakes every waiting page when it closes, and stops listening", async () => {
    const emulator = events()
    const feed = createChangeFeed(emulator.onChange)
    const version = await run(
      Effect.gen(function* () {
        const waiting = yield* Effect.fork(feed.after(1, Duration.seconds(20)))
        yield* Effect.yieldNow()
        feed.close()
        return yield* Fiber.join(waiting)
      }),
    )
    assert.equal(version, 2)
    assert.equal(emulator.listening(), 0)
    assert.equal(await run(feed.after(99, Duration.seconds(20))), 2, "a closed feed never holds")
  })
})
