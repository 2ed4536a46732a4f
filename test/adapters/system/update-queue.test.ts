import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Duration, Effect, Fiber } from "effect"
import { awaitPending, makeProgress } from "../../../src/adapters/system/update-queue.ts"

describe("a queue's progress and close", () => {
  it("wakes every waiter when an update finishes", async () => {
    const { finished, progress } = makeProgress()
    const woken = await Effect.runPromise(
      Effect.gen(function* () {
        const waiters = yield* Effect.forEach([1, 2, 3], () => Effect.fork(progress(Duration.minutes(1))))
        yield* Effect.sleep(Duration.millis(10))
        finished()
        return yield* Effect.forEach(waiters, Fiber.join)
      }),
    )
    assert.equal(woken.length, 3)
  })

  it("keeps its deadline in a shutdown finalizer, where nothing can be interrupted, with nothing left to finish", {
    timeout: 10_000,
  }, async () => {
    // a drain that never finishes an update (one that found nothing, say): close must still end at its deadline
    const { progress } = makeProgress()
    const left = await Effect.runPromise(
      Effect.uninterruptible(awaitPending(() => 1, Duration.millis(100), progress)).pipe(
        Effect.timeoutFail({
          duration: Duration.seconds(10),
          onTimeout: () => new Error("close never ended"),
        }),
      ),
    )
    assert.equal(left, 1, "what was still pending at the deadline")
  })
})
