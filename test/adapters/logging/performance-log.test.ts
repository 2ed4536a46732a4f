import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import { Layer, ManagedRuntime, TestClock, TestContext } from "effect"
import { TslogLogging } from "../../../src/adapters/logging/logger.ts"
import {
  makePerformanceWindow,
  PerformanceLog,
  PerformanceLogLive,
  type UpdateTiming,
} from "../../../src/adapters/logging/performance-log.ts"
import { Metrics, MetricsLive } from "../../../src/adapters/metrics/metrics.ts"
import { temporaryDirectory } from "../../support/bot-process.ts"

const timing = (useCase: string, durationMs: number, extra: Partial<UpdateTiming> = {}): UpdateTiming => ({
  kind: "Text",
  useCase,
  durationMs,
  outcome: "ok",
  ...extra,
})

const readLines = async (dir: string) =>
  (await readFile(join(dir, "performance.log"), "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line))

describe("performance.log", () => {
  it("summarises a period: requests, p50/p95 per use case, errors, limited", () => {
    const window = makePerformanceWindow()
    for (let ms = 1; ms <= 100; ms += 1) window.add(timing("Registration.answer", ms))
    window.add(timing("Menu.show", 7))
    window.add(timing("Bot.route", 3, { outcome: "error", error: "StorageError" }))
    window.add(timing("RateLimit.refuse", 0.1, { outcome: "limited" }))
    const taken = window.take()
    assert.equal(taken.requests, 103)
    assert.equal(taken.limited, 1)
    assert.equal(taken.errors, 1)
    assert.deepEqual(taken.errorsByType, { StorageError: 1 })
    assert.deepEqual(taken.useCases["Registration.answer"], { count: 100, p50Ms: 50, p95Ms: 95 })
    assert.deepEqual(taken.useCases["Menu.show"], { count: 1, p50Ms: 7, p95Ms: 7 })
    assert.equal(window.take().requests, 0, "a new period starts empty")
  })

  it("keeps a bounded sample per use case under heavy load", () => {
    const window = makePerformanceWindow(() => 0.999_999)
    for (let i = 0; i < 50_000; i += 1) window.add(timing("Registration.answer", i % 100))
    const taken = window.take()
    assert.equal(taken.useCases["Registration.answer"]?.count, 50_000)
    assert.ok((taken.useCases["Registration.answer"]?.p95Ms ?? 0) >= 90)
  })

  describe("as a layer", () => {
    let runtime: ManagedRuntime.ManagedRuntime<PerformanceLog | Metrics, never> | undefined
    after(() => runtime?.dispose())

    it("writes a line per failed or slow update and a summary every interval, with cache hit rate and active students", async () => {
      const dir = await temporaryDirectory("performance-")
      const stdout: Array<string> = []
      runtime = ManagedRuntime.make(
        PerformanceLogLive(300).pipe(
          Layer.provideMerge(MetricsLive({ now: () => 0 })),
          Layer.provideMerge(
            TslogLogging({ level: "INFO", json: true, dir, stdout: (line) => void stdout.push(line) }),
          ),
          Layer.provideMerge(TestContext.TestContext),
        ),
      )
      const metrics = await runtime.runPromise(Metrics)
      let hits = 0
      metrics.observeCache(() => ({ hits, misses: 10 }))
      metrics.updateReceived("Text", 1, 100_000)
      metrics.updateReceived("Text", 2, 100_000)
      const log = await runtime.runPromise(PerformanceLog)
      await runtime.runPromise(log.record(timing("Registration.answer", 4.56789)))
      await runtime.runPromise(log.record(timing("Registration.answer", 1234.56789)))
      await runtime.runPromise(log.record(timing("Bot.route", 2, { outcome: "error", error: "Defect" })))
      hits = 30

      await runtime.runPromise(TestClock.adjust("300 seconds"))
      const lines = await readLines(dir)
      assert.deepEqual(lines[0], {
        time: "1970-01-01T00:00:00.000Z",
        event: "update",
        kind: "Text",
        useCase: "Registration.answer",
        durationMs: 1234.568,
        outcome: "ok",
      })
      assert.equal(lines[1].error, "Defect")
      const summary = lines[2]
      assert.equal(summary.event, "summary")
      assert.equal(summary.requests, 3, "the quick update is counted, without a line of its own")
      assert.equal(summary.errors, 1)
      assert.equal(summary.periodSeconds, 300)
      assert.equal(summary.cacheHitRate, 0.75)
      assert.deepEqual(summary.activeStudents, { lastFiveMinutes: 2, lastHour: 2 })
      assert.ok(
        stdout.some((line) => JSON.parse(line).msg === "performance summary"),
        "also in the main log",
      )

      await runtime.runPromise(TestClock.adjust("300 seconds"))
      const next = (await readLines(dir)).at(-1)
      assert.equal(next.event, "summary")
      assert.equal(next.requests, 0)
      assert.equal(next.cacheHitRate, null, "no lookups in that period")
    })
  })
})
