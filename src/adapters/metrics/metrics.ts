import { Context, Effect, Layer } from "effect"
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client"
import { makeActiveStudents } from "./active-students.ts"
import { type BoundPairs, bindOne, bindPairs } from "./bound-children.ts"

/** Cumulative lookups of a cache since it started (what storage/cache.ts reports). */
export type CacheStats = { readonly hits: number; readonly misses: number }

export type UpdateOutcome = "ok" | "error" | "limited"

const LINT_FAILING_DEFAULTS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
]

const FIVE_MINUTES = 5 * 60 * 1000
const ONE_HOUR = 60 * 60 * 1000

// Handling an update is milliseconds; a slow disk or Bot API call can take seconds.
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
const LAG_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600]

/**
 * Every metric of the bot, in one prom-client registry. Decorators and the span tracer record into
 * it; GET /metrics exposes it; the performance summary reads the gauges it needs from it.
 */
export type MetricsOptions = {
  /** Node's process metrics (CPU, memory, event loop lag, GC) as well. */
  readonly processMetrics?: boolean
  /** Wall clock for the active-students gauge at scrape time. */
  readonly now?: () => number
}

export const makeMetrics = (options: MetricsOptions = {}) => {
  const now = options.now ?? Date.now
  const registry = new Registry()
  const registers = [registry]
  if (options.processMetrics === true) {
    collectDefaultMetrics({ register: registry })
    // Gauges named like counters (promtool rejects them); nodejs_active_* without _total say the same.
    for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name)
  }

  const activeStudents = makeActiveStudents(ONE_HOUR)
  let cacheSource: (() => CacheStats) | undefined
  let databaseSource: (() => { readonly statements: number; readonly transactions: number }) | undefined
  let lastBotApiAnswer: number | undefined

  // What the hot path asks of prom-client, counted by the bot itself (bench/counters.ts reads it).
  let observations = 0
  new Counter({
    name: "bot_metric_observations_total",
    help: "Observations the bot's own metrics took: histogram observations and counter increments",
    registers,
    collect() {
      this.reset()
      this.inc(observations)
    },
  })
  const updatesReceived = new Counter({
    name: "bot_updates_received_total",
    help: "Updates from students that reached the bot, by kind",
    labelNames: ["kind"] as const,
    registers,
  })
  const updatesReceivedBy = bindOne((kind) => updatesReceived.labels(kind))
  /**
   * A counter of the events a duration histogram times, read from its children's counts at scrape time:
   * one duration per update and one per Bot API call is all the hot path observes.
   */
  const countOf = (
    durations: BoundPairs,
    counter: { readonly name: string; readonly help: string; readonly labelNames: readonly [string, string] },
  ) =>
    new Counter({
      ...counter,
      registers,
      collect() {
        this.reset()
        const [firstName, secondName] = counter.labelNames
        for (const [first, second, count] of durations.counts())
          this.inc({ [firstName]: first, [secondName]: second }, count)
      },
    })
  const updateDuration = new Histogram({
    name: "bot_update_duration_seconds",
    help: "Time to handle one update, decorators included, by kind and outcome",
    labelNames: ["kind", "outcome"] as const,
    buckets: DURATION_BUCKETS,
    registers,
  })
  const updateDurations = bindPairs((kind, outcome) => updateDuration.labels(kind, outcome))
  countOf(updateDurations, {
    name: "bot_updates_handled_total",
    help: "Updates whose handling finished, by kind and outcome (ok, error, limited)",
    labelNames: ["kind", "outcome"],
  })
  const errors = new Counter({
    name: "bot_errors_total",
    help: "Unexpected failures while handling updates (each got an error ID), by error type",
    labelNames: ["type"] as const,
    registers,
  })
  const useCaseDuration = new Histogram({
    name: "bot_use_case_duration_seconds",
    help: "Duration of each named use case (Effect.fn span), by name and outcome",
    labelNames: ["use_case", "outcome"] as const,
    buckets: DURATION_BUCKETS,
    registers,
  })
  const useCaseDurations = bindPairs((name, outcome) => useCaseDuration.labels(name, outcome))
  new Gauge({
    name: "bot_active_students",
    help: "Distinct students who sent something within the window (5m or 1h)",
    labelNames: ["window"] as const,
    registers,
    collect() {
      const at = now()
      this.set({ window: "5m" }, activeStudents.count(FIVE_MINUTES, at))
      this.set({ window: "1h" }, activeStudents.count(ONE_HOUR, at))
    },
  })
  new Counter({
    name: "bot_cache_lookups_total",
    help: "Student cache lookups, by result (hit or miss)",
    labelNames: ["result"] as const,
    registers,
    collect() {
      if (cacheSource === undefined) return
      const stats = cacheSource()
      // The cache keeps cumulative counts; a counter can only be set by reset + inc.
      this.reset()
      this.inc({ result: "hit" }, stats.hits)
      this.inc({ result: "miss" }, stats.misses)
    },
  })
  const apiDuration = new Histogram({
    name: "bot_api_call_duration_seconds",
    help: "Duration of Telegram Bot API calls, retries and long polls included, by method and outcome",
    labelNames: ["method", "outcome"] as const,
    buckets: [...DURATION_BUCKETS, 60],
    registers,
  })
  const apiDurations = bindPairs((method, outcome) => apiDuration.labels(method, outcome))
  countOf(apiDurations, {
    name: "bot_api_calls_total",
    help: "Telegram Bot API calls (retries included), by method and outcome",
    labelNames: ["method", "outcome"],
  })
  new Gauge({
    name: "bot_api_last_answer_timestamp_seconds",
    help: "Unix time of the last answer (success or error) from the Bot API",
    registers,
    collect() {
      if (lastBotApiAnswer !== undefined) this.set(lastBotApiAnswer / 1000)
    },
  })
  const updatesFetched = new Counter({
    name: "bot_updates_fetched_total",
    help: "Updates fetched with getUpdates, by type (message, callback_query, other)",
    labelNames: ["type"] as const,
    registers,
  })
  const updatesFetchedBy = bindOne((type) => updatesFetched.labels(type))
  const pollingLag = new Histogram({
    name: "bot_polling_lag_seconds",
    help: "Age of a message when getUpdates delivered it (message date to fetch time, 1 s resolution)",
    buckets: LAG_BUCKETS,
    registers,
  })

  for (const [name, help, pick] of [
    ["bot_database_statements_total", "SQL statements sent to PostgreSQL (each a round trip)", "statements"],
    ["bot_database_transactions_total", "Transactions begun in PostgreSQL", "transactions"],
  ] as const)
    new Counter({
      name,
      help: `${help}, STORAGE=postgres only`,
      registers,
      collect() {
        if (databaseSource === undefined) return
        this.reset()
        this.inc(databaseSource()[pick])
      },
    })
  const storageWriteFailures = new Counter({
    name: "bot_storage_write_failures_total",
    help: "Writes to storage that failed, by operation and reason (full, unwritable, other)",
    labelNames: ["operation", "reason"] as const,
    registers,
  })
  const storageWritable = new Gauge({
    name: "bot_storage_writable",
    help: "1 while storage takes writes, 0 while it refuses them (a full disk, a read-only volume)",
    registers,
  })

  return {
    registry,
    storageWriteFailed: (operation: string, reason: string) =>
      storageWriteFailures.inc({ operation, reason }),
    storageWritable: (writable: boolean) => storageWritable.set(writable ? 1 : 0),
    updateReceived: (kind: string, student: number, now: number) => {
      observations++
      updatesReceivedBy(kind).inc()
      activeStudents.seen(student, now)
    },
    updateHandled: (kind: string, outcome: UpdateOutcome, seconds: number, errorType?: string) => {
      observations++
      updateDurations.observe(kind, outcome, seconds)
      if (errorType !== undefined) {
        observations++
        errors.inc({ type: errorType })
      }
    },
    useCase: (name: string, outcome: string, seconds: number) => {
      observations++
      useCaseDurations.observe(name, outcome, seconds)
    },
    botApiCall: (method: string, outcome: string, seconds: number, answered: boolean, now: number) => {
      observations++
      apiDurations.observe(method, outcome, seconds)
      if (answered) lastBotApiAnswer = now
    },
    updatesFetched: (type: string) => {
      observations++
      updatesFetchedBy(type).inc()
    },
    pollingLag: (seconds: number) => {
      observations++
      pollingLag.observe(Math.max(0, seconds))
    },
    /** Milliseconds since the epoch of the Bot API's last answer; undefined before the first. */
    lastBotApiAnswer: () => lastBotApiAnswer,
    activeStudents: (now: number) => ({
      lastFiveMinutes: activeStudents.count(FIVE_MINUTES, now),
      lastHour: activeStudents.count(ONE_HOUR, now),
    }),
    /** Registers where cache hits and misses come from (main.ts wires the storage cache). */
    observeCache: (source: () => CacheStats) => {
      cacheSource = source
    },
    cacheStats: (): CacheStats | undefined => cacheSource?.(),
    /** Registers where the database's statement and transaction counts come from (PostgreSQL storage). */
    observeDatabase: (source: () => { readonly statements: number; readonly transactions: number }) => {
      databaseSource = source
    },
    /** The Prometheus text exposition of every metric. */
    exposition: Effect.promise(async () => ({
      contentType: registry.contentType,
      body: await registry.metrics(),
    })),
  }
}

export type BotMetrics = ReturnType<typeof makeMetrics>

export class Metrics extends Context.Tag("Metrics")<Metrics, BotMetrics>() {}

export const MetricsLive = (options: MetricsOptions = {}) => Layer.sync(Metrics, () => makeMetrics(options))
