import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect, Fiber, Layer, TestClock, TestContext } from "effect"
import { Housekeeping, HousekeepingLive } from "../../../src/adapters/common/housekeeping.ts"

describe("housekeeping", () => {
  it("runs every registered task each interval; a failing task does not stop the others", async () => {
    const runs: Array<string> = []
    const program = Effect.gen(function* () {
      const housekeeping = yield* Housekeeping
      yield* housekeeping.register(
        "drafts",
        Effect.sync(() => runs.push("drafts")),
      )
      yield* housekeeping.register("broken", Effect.fail("disk full"))
      yield* housekeeping.register(
        "journal",
        Effect.sync(() => runs.push("journal")),
      )
      assert.deepEqual(yield* housekeeping.taskNames, ["drafts", "broken", "journal"])
      yield* TestClock.adjust("59 seconds")
      assert.deepEqual(runs, [])
      yield* TestClock.adjust("1 second")
      assert.deepEqual(runs, ["drafts", "journal"])
      yield* TestClock.adjust("120 seconds")
      assert.deepEqual(runs, ["drafts", "journal", "drafts", "journal", "drafts", "journal"])
    })
    await Effect.runPromise(
      program.pipe(
        Effect.provide(HousekeepingLive(60)),
        Effect.scoped,
        Effect.provide(TestContext.TestContext),
      ),
    )
  })

  it("stops when its scope closes", async () => {
    let runs = 0
    await Effect.runPromise(
      Effect.gen(function* () {
        const fiber = yield* Effect.gen(function* () {
          yield* (yield* Housekeeping).register(
            "count",
            Effect.sync(() => runs++),
          )
          yield* TestClock.adjust("10 seconds")
        }).pipe(Effect.provide(Layer.fresh(HousekeepingLive(10))), Effect.scoped, Effect.fork)
        yield* Fiber.join(fiber)
        yield* TestClock.adjust("100 seconds")
      }).pipe(Effect.provide(TestContext.TestContext)),
    )
    assert.equal(runs, 1)
  })
})
