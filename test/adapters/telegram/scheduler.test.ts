import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Duration, Effect, FiberRef, Random } from "effect"
import { makeMemoryUpdateJournal } from "../../../src/adapters/memory/memory-update-journal.ts"
import { makeUpdateScheduler } from "../../../src/adapters/telegram/scheduler.ts"
import { UpdateJournal } from "../../../src/application/ports/update-journal.ts"

const run = <A>(effect: Effect.Effect<A, never, UpdateJournal | import("effect").Scope.Scope>) => {
  const journal = makeMemoryUpdateJournal()
  return {
    journal,
    result: Effect.runPromise(
      Effect.scoped(effect).pipe(Effect.provideService(UpdateJournal, journal.service)),
    ),
  }
}

describe("update scheduler", () => {
  it("keeps each chat's order under 200 concurrent chats, within the bound on updates in flight", async () => {
    const seen = new Map<number, Array<number>>()
    let running = 0
    let most = 0
    const { journal, result } = run(
      Effect.gen(function* () {
        const scheduler = yield* makeUpdateScheduler({ maxInFlight: 16, maxBacklog: 1000 })
        let id = 0
        // five rounds, each touching all 200 chats, interleaved as Telegram would deliver them
        for (let round = 0; round < 5; round++) {
          for (let chat = 1; chat <= 200; chat++) {
            const update = ++id
            const work = Effect.gen(function* () {
              running++
              most = Math.max(most, running)
              yield* Effect.sleep(Duration.millis(yield* Random.nextIntBetween(0, 3)))
              seen.set(chat, [...(seen.get(chat) ?? []), update])
              running--
            })
            assert.equal(yield* scheduler.submit({ id: update, key: chat, work }), "accepted")
          }
        }
        assert.equal(yield* scheduler.close(Duration.seconds(20)), 0)
      }),
    )
    await result
    assert.equal(seen.size, 200)
    for (const [chat, ids] of seen) {
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
        `chat ${chat} in arrival order`,
      )
      assert.equal(ids.length, 5)
    }
    assert.ok(most <= 16, `at most 16 in flight (saw ${most})`)
    assert.ok(most > 1, "chats run side by side")
    assert.equal(journal.entries.size, 1000)
  })

  it("runs each update with the scheduler's fiber refs, not those of the update before it", async () => {
    // A finished update starts its chat's next one. Forked from the finished one's fiber, each update would
    // inherit what the one before set (and Effect's per-fiber-ref stacks would grow along the chain).
    const marker = FiberRef.unsafeMake(0)
    const saw: Array<number> = []
    const { result } = run(
      Effect.gen(function* () {
        const scheduler = yield* makeUpdateScheduler({ maxInFlight: 1 }).pipe(Effect.locally(marker, 1))
        for (let id = 1; id <= 4; id++) {
          const work = Effect.gen(function* () {
            saw.push(yield* FiberRef.get(marker))
            yield* FiberRef.set(marker, 100 + id)
            yield* Effect.sleep(Duration.millis(1))
          })
          assert.equal(yield* scheduler.submit({ id, key: id % 2, work }), "accepted")
        }
        assert.equal(yield* scheduler.close(Duration.seconds(5)), 0)
      }),
    )
    await result
    assert.deepEqual(saw, [1, 1, 1, 1])
  })

  it("takes an update once: not while it waits, not after it is in the journal", async () => {
    let handled = 0
    const { result } = run(
      Effect.gen(function* () {
        const scheduler = yield* makeUpdateScheduler({ maxInFlight: 4 })
        const work = Effect.sleep(Duration.millis(20)).pipe(Effect.andThen(() => void handled++))
        assert.equal(yield* scheduler.submit({ id: 1, key: 1, work }), "accepted")
        assert.equal(yield* scheduler.submit({ id: 1, key: 1, work }), "duplicate")
        while (scheduler.inFlight().size > 0) yield* scheduler.progress(Duration.seconds(1))
        assert.equal(yield* scheduler.submit({ id: 1, key: 1, work }), "duplicate")
        yield* scheduler.close(Duration.seconds(1))
        assert.equal(yield* scheduler.submit({ id: 2, key: 1, work }), "closed")
      }),
    )
    await result
    assert.equal(handled, 1)
  })

  it("says busy past its backlog, and a failing update is logged and done with", async () => {
    const { journal, result } = run(
      Effect.gen(function* () {
        const scheduler = yield* makeUpdateScheduler({ maxInFlight: 1, maxBacklog: 2 })
        const slow = Effect.sleep(Duration.millis(30))
        assert.equal(yield* scheduler.submit({ id: 1, key: 1, work: Effect.die("boom") }), "accepted")
        assert.equal(yield* scheduler.submit({ id: 2, key: 2, work: slow }), "accepted")
        assert.equal(yield* scheduler.submit({ id: 3, key: 3, work: slow }), "busy")
        assert.equal(yield* scheduler.close(Duration.seconds(1)), 0)
      }),
    )
    await result
    assert.deepEqual([...journal.entries.keys()].sort(), [1, 2])
  })

  it("on close, interrupts what outlives the deadline and leaves it unrecorded, in flight", async () => {
    let watched = 0
    const { journal, result } = run(
      Effect.gen(function* () {
        const scheduler = yield* makeUpdateScheduler({ maxInFlight: 4 })
        const watchdog = { after: Duration.millis(20), act: Effect.sync(() => void watched++) }
        // submitted from an uninterruptible region (as polling takes a batch): still stoppable
        yield* Effect.uninterruptible(scheduler.submit({ id: 1, key: 1, work: Effect.never, watchdog }))
        yield* scheduler.submit({ id: 2, key: 2, work: Effect.void, watchdog })
        assert.equal(yield* scheduler.close(Duration.millis(100)), 1)
        assert.deepEqual([...scheduler.inFlight()], [1])
      }),
    )
    await result
    assert.equal(watched, 1, "the watchdog acts for the slow update only")
    assert.deepEqual([...journal.entries.keys()], [2])
  })
})

describe("update scheduler watchdog", () => {
  it("counts from arrival: an update waiting behind a slow one of its chat is watched meanwhile", async () => {
    const events: Array<string> = []
    const { result } = run(
      Effect.gen(function* () {
        const scheduler = yield* makeUpdateScheduler({ maxInFlight: 4 })
        const slow = Effect.sleep(Duration.millis(300)).pipe(
          Effect.andThen(() => void events.push("slow done")),
        )
        const watchdog = { after: Duration.millis(20), act: Effect.sync(() => void events.push("watchdog")) }
        yield* scheduler.submit({ id: 1, key: 1, work: slow })
        yield* scheduler.submit({
          id: 2,
          key: 1,
          work: Effect.sync(() => void events.push("press")),
          watchdog,
        })
        yield* scheduler.close(Duration.seconds(2))
      }),
    )
    await result
    assert.deepEqual(events, ["watchdog", "slow done", "press"])
  })
})
