import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect, Layer, Option } from "effect"
import { Housekeeping, ManualHousekeeping } from "../../../src/adapters/common/housekeeping.ts"
import { CachedStudentRepository, makeTtlLruCache } from "../../../src/adapters/files/cache.ts"
import { makeMemoryStudentRepository } from "../../../src/adapters/memory/memory-student-repository.ts"
import { Metrics, MetricsLive } from "../../../src/adapters/metrics/metrics.ts"
import { StudentRepository } from "../../../src/application/ports/student-repository.ts"
import { UserId } from "../../../src/domain/student.ts"
import { student } from "../../support/students.ts"

/** The cache over a memory repository that counts the finds reaching it. */
const cachedOverMemory = async (maxEntries = 100) => {
  let now = 0
  const memory = makeMemoryStudentRepository([student(1), student(2), student(3)])
  let innerFinds = 0
  const inner = StudentRepository.of({
    ...memory.service,
    find: (id) => Effect.tap(memory.service.find(id), () => void innerFinds++),
  })
  const layer = CachedStudentRepository({ ttlSeconds: 60, maxEntries, now: () => now }).pipe(
    Layer.provide(Layer.succeed(StudentRepository, inner)),
    Layer.provideMerge(Layer.merge(MetricsLive(), ManualHousekeeping)),
  )
  const context = await Effect.runPromise(Layer.build(layer).pipe(Effect.scoped))
  const run = <A, E>(effect: Effect.Effect<A, E, StudentRepository | Metrics | Housekeeping>) =>
    Effect.runPromise(Effect.provide(effect, context))
  const find = (id: number) => run(Effect.flatMap(StudentRepository, (repo) => repo.find(UserId.make(id))))
  return {
    run,
    find,
    save: (s: ReturnType<typeof student>) => run(Effect.flatMap(StudentRepository, (repo) => repo.save(s))),
    innerFinds: () => innerFinds,
    advance: (seconds: number) => {
      now += seconds * 1000
    },
  }
}

describe("student cache (decorator over the repository)", () => {
  it("answers repeated finds from memory until the TTL passes", async () => {
    const cache = await cachedOverMemory()
    await cache.find(1)
    await cache.find(1)
    cache.advance(59)
    await cache.find(1)
    assert.equal(cache.innerFinds(), 1)
    cache.advance(2)
    await cache.find(1)
    assert.equal(cache.innerFinds(), 2)
  })

  it("also remembers 'not registered', and a save invalidates the student", async () => {
    const cache = await cachedOverMemory()
    assert.ok(Option.isNone(await cache.find(9)))
    assert.ok(Option.isNone(await cache.find(9)))
    assert.equal(cache.innerFinds(), 1)
    await cache.save(student(9, 5))
    assert.deepEqual(await cache.find(9), Option.some(student(9, 5)))
    await cache.save(student(9, 6, "دهم"))
    assert.equal(Option.getOrThrow(await cache.find(9)).profile.grade, "دهم")
    assert.equal(cache.innerFinds(), 3)
  })

  it("keeps at most maxEntries, forgetting the least recently used", async () => {
    const cache = await cachedOverMemory(2)
    await cache.find(1)
    await cache.find(2)
    await cache.find(1)
    await cache.find(3) // evicts 2, used longer ago than 1
    assert.equal(cache.innerFinds(), 3)
    await cache.find(1)
    assert.equal(cache.innerFinds(), 3)
    await cache.find(2)
    assert.equal(cache.innerFinds(), 4)
  })

  it("counts hits and misses in the metrics, and housekeeping trims expired entries", async () => {
    const cache = await cachedOverMemory()
    await cache.find(1)
    await cache.find(1)
    await cache.find(2)
    const metrics = await cache.run(Metrics)
    assert.deepEqual(metrics.cacheStats(), { hits: 1, misses: 2 })
    const { body } = await Effect.runPromise(metrics.exposition)
    assert.match(body, /bot_cache_lookups_total\{result="hit"\} 1/)
    assert.match(body, /bot_cache_lookups_total\{result="miss"\} 2/)
    const housekeeping = await cache.run(Housekeeping)
    assert.deepEqual(await Effect.runPromise(housekeeping.taskNames), ["student cache"])
  })

  it("prunes only expired entries", () => {
    let now = 0
    const cache = makeTtlLruCache<string, number>({ ttlSeconds: 10, maxEntries: 10, now: () => now })
    cache.set("old", 1)
    now = 5_000
    cache.set("new", 2)
    now = 10_000
    assert.equal(cache.prune(), 1)
    assert.equal(cache.size(), 1)
    assert.deepEqual(cache.get("new"), Option.some(2))
  })
})
