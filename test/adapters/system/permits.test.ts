import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Deferred, Effect, Fiber } from "effect"
import { makePermits } from "../../../src/adapters/system/permits.ts"

describe("permits: at most N at once, first come first served", () => {
  it("runs at most N, hands each permit to the oldest waiter, and gives it back on failure", async () => {
    const permits = makePermits(2)
    const started: Array<number> = []
    const gates = await Effect.runPromise(Effect.all(Array.from({ length: 5 }, () => Deferred.make<void>())))
    const job = (index: number) =>
      permits.withPermit(
        Effect.gen(function* () {
          started.push(index)
          yield* Deferred.await(gates[index] as Deferred.Deferred<void>)
          if (index === 1) yield* Effect.fail("boom")
        }),
      )
    const fibers = await Effect.runPromise(
      Effect.forEach([0, 1, 2, 3, 4], (index) => Effect.forkDaemon(Effect.either(job(index)))),
    )
    await new Promise((resolve) => setTimeout(resolve, 10))
    assert.deepEqual(started, [0, 1])
    assert.deepEqual(permits.state(), { free: 0, waiting: 3 })
    await Effect.runPromise(Deferred.succeed(gates[1] as Deferred.Deferred<void>, undefined))
    await new Promise((resolve) => setTimeout(resolve, 10))
    assert.deepEqual(started, [0, 1, 2], "the failed one gave its permit to the oldest waiter")
    // a waiter interrupted leaves the line
    await Effect.runPromise(Fiber.interrupt(fibers[3] as Fiber.RuntimeFiber<unknown>))
    assert.deepEqual(permits.state(), { free: 0, waiting: 1 })
    for (const index of [0, 2, 4])
      await Effect.runPromise(Deferred.succeed(gates[index] as Deferred.Deferred<void>, undefined))
    await Effect.runPromise(Fiber.join(fibers[4] as Fiber.RuntimeFiber<unknown>))
    assert.deepEqual(started, [0, 1, 2, 4])
    assert.deepEqual(permits.state(), { free: 2, waiting: 0 })
  })
})
