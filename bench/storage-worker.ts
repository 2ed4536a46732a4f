/**
 * One measurement run of the file storage, in its own process so that RSS means something:
 * `node bench/storage-worker.ts <USERS_DIR> <phase>` with phase "first" (no index snapshot yet: every
 * file is read) or "restart" (the snapshot the first run saved). Prints one JSON line of figures.
 */
import { readFileSync } from "node:fs"
import { Context, Effect, Exit, Layer, Option, Scope, Stream } from "effect"
import { FileStorage } from "../src/adapters/files/file-storage.ts"
import { Metrics, MetricsLive } from "../src/adapters/metrics/metrics.ts"
import { compactHeapAfterStart } from "../src/adapters/system/heap.ts"
import { StudentDirectory } from "../src/application/ports/student-directory.ts"
import { StudentRepository } from "../src/application/ports/student-repository.ts"
import { computeStatistics } from "../src/domain/statistics.ts"
import type { UserId } from "../src/domain/student.ts"

const loaded = performance.now()
const [directory = "", phase = "first"] = process.argv.slice(2)
const ms = (since: number) => Math.round((performance.now() - since) * 10) / 10
const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20)
const peakRssMb = () => {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))
  return Math.round(Number(match?.[1] ?? 0) / 1024)
}

const scope = Effect.runSync(Scope.make())
const layer = FileStorage({
  directory,
  cache: { ttlSeconds: 300, maxEntries: 10_000 },
  draftMaxAgeDays: 7,
  cleanupIntervalSeconds: 300,
}).pipe(Layer.provideMerge(MetricsLive()))
const opening = performance.now()
const context = await Effect.runPromise(Layer.buildWithScope(layer, scope))
const readyMs = ms(opening)
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
const repository = Context.get(context, StudentRepository)
const students = Context.get(context, StudentDirectory)
const metrics = Context.get(context, Metrics)

const indexing = performance.now()
const count = await run(students.count)
const indexMs = ms(indexing)
// as the bot does once its index is built (with --expose-gc, the Docker CMD's flag)
await run(compactHeapAfterStart)
const rssIndexed = rssMb()
const live = (await run(students.summaries)).length

/** What the admin's /stats computes (src/domain/statistics.ts) over the directory's summaries. */
const statistics = async () => computeStatistics(await run(students.summaries), new Date(), 0)
let started = performance.now()
await statistics()
const statsFirstMs = ms(started)
const warm: Array<number> = []
for (let round = 0; round < 5; round++) {
  started = performance.now()
  await statistics()
  warm.push(ms(started))
}
const statsWarmMs = Math.max(...warm)

const ids = (await run(students.summaries)).map((s) => s.userId)
const pick = (n: number) => Array.from({ length: n }, (_, i) => ids[(i * 7919) % ids.length] as UserId)
const sample = [...new Set(pick(Math.min(ids.length, 5000)))]

started = performance.now()
await run(Effect.forEach(sample, (id) => repository.find(id), { concurrency: 16, discard: true }))
const coldReadsPerSecond = Math.round((sample.length / (performance.now() - started)) * 1000)
started = performance.now()
for (let round = 0; round < 4; round++)
  await run(Effect.forEach(sample, (id) => repository.find(id), { concurrency: 16, discard: true }))
const warmReadsPerSecond = Math.round(((4 * sample.length) / (performance.now() - started)) * 1000)

// A day's traffic: 90 % of lookups from the 10 % of students who are active, the rest from anyone.
const before = metrics.cacheStats() ?? { hits: 0, misses: 0 }
const active = ids.slice(0, Math.max(100, Math.floor(ids.length / 10)))
let seed = 42
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31
  return seed / 2 ** 31
}
const traffic = Array.from({ length: 100_000 }, () => {
  const pool = random() < 0.9 ? active : ids
  return pool[Math.floor(random() * pool.length)] as UserId
})
await run(Effect.forEach(traffic, (id) => repository.find(id), { concurrency: 16, discard: true }))
const after = metrics.cacheStats() ?? { hits: 0, misses: 0 }
const hits = after.hits - before.hits
const hitRate = Math.round((hits / (hits + after.misses - before.misses)) * 1000) / 10

// Durable saves (fsync of file and directory each): 16 students at once, and one after another.
const toSave = await run(
  Effect.forEach(sample.slice(0, 800), (id) => Effect.map(repository.find(id), Option.getOrThrow)),
)
started = performance.now()
await run(
  Effect.forEach(toSave, (s) => repository.save({ ...s, lastUpdated: new Date() }), {
    concurrency: 16,
    discard: true,
  }),
)
const savesPerSecond = Math.round((toSave.length / (performance.now() - started)) * 1000)
started = performance.now()
for (const s of toSave.slice(0, 100)) await run(repository.save({ ...s, lastUpdated: new Date() }))
const sequentialSavesPerSecond = Math.round((100 / (performance.now() - started)) * 1000)

// An export reads every file; 10 000 of them are enough to know its pace.
started = performance.now()
const exported = await run(Stream.runCount(Stream.take(students.students, 10_000)))
const exportPerSecond = Math.round((exported / (performance.now() - started)) * 1000)
const rss = rssMb()
// With --node-flags=--expose-gc: how much of that RSS is live data, after a full collection.
const gc = (globalThis as { gc?: () => void }).gc
gc?.()
const liveHeapMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20)
const rssAfterGc = rssMb()

await Effect.runPromise(Scope.close(scope, Exit.void))
process.stdout.write(
  `${JSON.stringify({
    phase,
    count,
    importMs: Math.round(loaded),
    readyMs,
    indexMs,
    rssIndexed,
    live,
    statsFirstMs,
    statsWarmMs,
    coldReadsPerSecond,
    warmReadsPerSecond,
    hitRate,
    savesPerSecond,
    sequentialSavesPerSecond,
    exported,
    exportPerSecond,
    rss,
    liveHeapMb: gc === undefined ? undefined : liveHeapMb,
    rssAfterGc: gc === undefined ? undefined : rssAfterGc,
    peakRss: peakRssMb(),
  })}\n`,
)
