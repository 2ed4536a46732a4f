import { Clock, Context, Duration, Effect, Layer } from "effect"
import { type CacheStats, Metrics, type UpdateOutcome } from "../metrics/metrics.ts"
import { LogSinks } from "./log-sinks.ts"

/** How one update went: a line of performance.log. */
export type UpdateTiming = {
  readonly kind: string
  readonly useCase: string
  readonly durationMs: number
  readonly outcome: UpdateOutcome
  readonly error?: string
}

export type UseCaseSummary = { readonly count: number; readonly p50Ms: number; readonly p95Ms: number }

/** The period since the previous summary. */
export type PerformanceSummary = {
  readonly periodSeconds: number
  readonly requests: number
  readonly limited: number
  readonly errors: number
  readonly errorsByType: Readonly<Record<string, number>>
  readonly useCases: Readonly<Record<string, UseCaseSummary>>
  /** Hits / lookups of the student cache in the period; null without a cache or without lookups. */
  readonly cacheHitRate: number | null
  readonly activeStudents: { readonly lastFiveMinutes: number; readonly lastHour: number }
}

/** An update that takes this long gets a line of its own in performance.log (an error always does). */
export const SLOW_UPDATE_MS = 1000

/** Samples kept per use case and period: percentiles stay honest and memory stays flat under load. */
const SAMPLES = 1000

const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0)

/** What a period collects: counts, and a uniform sample of durations per use case (reservoir sampling). */
export const makePerformanceWindow = (random: () => number = Math.random) => {
  let requests = 0
  let limited = 0
  let errorsByType = new Map<string, number>()
  let samples = new Map<string, { seen: number; durations: Array<number> }>()
  return {
    add: (timing: UpdateTiming) => {
      requests += 1
      if (timing.outcome === "limited") limited += 1
      if (timing.error !== undefined)
        errorsByType.set(timing.error, (errorsByType.get(timing.error) ?? 0) + 1)
      const entry = samples.get(timing.useCase) ?? { seen: 0, durations: [] }
      samples.set(timing.useCase, entry)
      entry.seen += 1
      if (entry.durations.length < SAMPLES) entry.durations.push(timing.durationMs)
      else {
        const slot = Math.floor(random() * entry.seen)
        if (slot < SAMPLES) entry.durations[slot] = timing.durationMs
      }
    },
    /** The counts so far, and a fresh period. */
    take: () => {
      const useCases: Record<string, UseCaseSummary> = {}
      for (const [name, entry] of [...samples].sort(([a], [b]) => a.localeCompare(b))) {
        const sorted = [...entry.durations].sort((a, b) => a - b)
        useCases[name] = {
          count: entry.seen,
          p50Ms: round(percentile(sorted, 50)),
          p95Ms: round(percentile(sorted, 95)),
        }
      }
      const errors = [...errorsByType.values()].reduce((sum, n) => sum + n, 0)
      const taken = { requests, limited, errors, errorsByType: Object.fromEntries(errorsByType), useCases }
      requests = 0
      limited = 0
      errorsByType = new Map()
      samples = new Map()
      return taken
    },
  }
}

export class PerformanceLog extends Context.Tag("PerformanceLog")<
  PerformanceLog,
  {
    /** Counts a handled update for the summary; a slow or failed one also gets a line in performance.log. */
    readonly record: (timing: UpdateTiming) => Effect.Effect<void>
    /** Writes the summary of the period since the last one (performance.log and the log), and starts anew. */
    readonly summarize: Effect.Effect<PerformanceSummary>
  }
>() {}

/**
 * performance.log: a summary every `intervalSeconds` (requests, p50/p95 per use case, errors, cache, active
 * students), and a line for each update that failed or took SLOW_UPDATE_MS or more. A line per update was
 * ~170 bytes and a JSON.stringify on every update's path, for what the summary and the metrics already say.
 */
export const PerformanceLogLive = (intervalSeconds: number) =>
  Layer.scoped(
    PerformanceLog,
    Effect.gen(function* () {
      const sinks = yield* LogSinks
      const metrics = yield* Metrics
      const window = makePerformanceWindow()
      let periodStart = yield* Clock.currentTimeMillis
      let previousCache: CacheStats | undefined = metrics.cacheStats()

      const record = (timing: UpdateTiming) =>
        Effect.suspend(() => {
          window.add(timing)
          return timing.outcome === "error" || timing.durationMs >= SLOW_UPDATE_MS
            ? Effect.map(Clock.currentTimeMillis, (now) => line(now, timing))
            : Effect.void
        })
      const line = (now: number, timing: UpdateTiming) =>
        sinks.performance(
          JSON.stringify({
            time: new Date(now).toISOString(),
            event: "update",
            kind: timing.kind,
            useCase: timing.useCase,
            durationMs: round(timing.durationMs),
            outcome: timing.outcome,
            ...(timing.error === undefined ? {} : { error: timing.error }),
          }),
        )

      const summarize = Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const cache = metrics.cacheStats()
        const hits = cache === undefined ? 0 : cache.hits - (previousCache?.hits ?? 0)
        const misses = cache === undefined ? 0 : cache.misses - (previousCache?.misses ?? 0)
        previousCache = cache
        const summary: PerformanceSummary = {
          periodSeconds: round((now - periodStart) / 1000, 1),
          ...window.take(),
          cacheHitRate: hits + misses > 0 ? round(hits / (hits + misses)) : null,
          activeStudents: metrics.activeStudents(now),
        }
        periodStart = now
        sinks.performance(JSON.stringify({ time: new Date(now).toISOString(), event: "summary", ...summary }))
        yield* Effect.logInfo("performance summary").pipe(Effect.annotateLogs(summary))
        return summary
      })

      yield* Effect.forkScoped(
        Effect.forever(Effect.sleep(Duration.seconds(intervalSeconds)).pipe(Effect.zipRight(summarize))),
      )
      // The last period is not lost on shutdown.
      yield* Effect.addFinalizer(() => summarize)
      return PerformanceLog.of({ record, summarize: summarize })
    }),
  )
