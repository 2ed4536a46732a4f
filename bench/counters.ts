import { readdir, readFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import type { BotApiEmulator } from "../playground/bot-api-emulator.ts"

/** The node flags that make a bench bot countable: the preload's counters, and V8's GC trace. */
export const COUNTING_FLAGS = [
  `--import=${resolve(import.meta.dirname, "counters-preload.ts")}`,
  "--trace-gc-nvp",
]

/** What is counted over the load, as totals; the bench divides them by the updates handled. */
export type LoadCounters = {
  readonly apiCalls: Readonly<Record<string, number>>
  readonly allocatedBytes: number
  readonly promotedBytes: number
  readonly scavenges: number
  readonly markCompacts: number
  readonly fsyncs: number
  readonly fdatasyncs: number
  readonly logLines: number
  readonly logBytes: number
  /** Effect fibers started (the preload reads Effect's fiber-id counter); 0 for a bot without Effect. */
  readonly fibers: number
  /** Histogram observations and counter increments of the bot's own metrics (GET /metrics); undefined without. */
  readonly metricObservations: number | undefined
}

type Snapshot = {
  readonly calls: number
  readonly gc: { allocated: number; promoted: number; scavenges: number; markCompacts: number }
  readonly preload: {
    fsync: number
    fdatasync: number
    stdoutBytes: number
    stdoutLines: number
    fibers: number
  }
  readonly files: { lines: number; bytes: number }
  readonly metrics: number | undefined
}

/** Sums what V8's --trace-gc-nvp prints, line by line, as the bot's stdout arrives. */
export const gcTrace = () => {
  const totals = { allocated: 0, promoted: 0, scavenges: 0, markCompacts: 0 }
  let partial = ""
  return {
    totals,
    feed: (chunk: string) => {
      const text = partial + chunk
      const end = text.lastIndexOf("\n")
      partial = text.slice(end + 1)
      for (const line of text.slice(0, end + 1).split("\n")) {
        if (!line.includes(" gc=")) continue
        totals.allocated += Number(/ allocated=(\d+)/.exec(line)?.[1] ?? 0)
        totals.promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0)
        if (/ gc=s /.test(line)) totals.scavenges++
        else totals.markCompacts++
      }
    },
  }
}

const logFiles = async (dir: string) => {
  let lines = 0
  let bytes = 0
  for (const name of await readdir(dir).catch(() => [] as Array<string>)) {
    const text = await readFile(join(dir, name), "utf8").catch(() => "")
    bytes += Buffer.byteLength(text)
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lines++
  }
  return { lines, bytes }
}

/**
 * The bot's own count of what its metrics observed (`bot_metric_observations_total`: every histogram
 * observation and counter increment it makes; counters it reads from histograms at scrape time make none).
 */
const metricObservations = async (port: number | undefined) => {
  if (port === undefined) return undefined
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
    const match = /^bot_metric_observations_total ([\d.e+]+)$/m.exec(text)
    return match === null ? undefined : Number(match[1])
  } catch {
    return undefined
  }
}

/** Takes snapshots before and after the load; `between` answers the counts of what happened in between. */
export const loadCounters = (options: {
  readonly emulator: BotApiEmulator
  readonly gc: ReturnType<typeof gcTrace>["totals"]
  readonly countersFile: string
  readonly logDir: string
  readonly metricsPort: () => number | undefined
}) => {
  const snapshot = async (): Promise<Snapshot> => {
    // the preload writes every 200 ms: wait for a fresh write
    await new Promise((done) => setTimeout(done, 250))
    const preload = JSON.parse(await readFile(options.countersFile, "utf8").catch(() => "{}")) as Partial<
      Snapshot["preload"]
    >
    return {
      calls: options.emulator.calls.length,
      gc: { ...options.gc },
      preload: {
        fsync: preload.fsync ?? 0,
        fdatasync: preload.fdatasync ?? 0,
        stdoutBytes: preload.stdoutBytes ?? 0,
        stdoutLines: preload.stdoutLines ?? 0,
        fibers: preload.fibers ?? 0,
      },
      files: await logFiles(options.logDir),
      metrics: await metricObservations(options.metricsPort()),
    }
  }
  const between = (before: Snapshot, after: Snapshot): LoadCounters => {
    const apiCalls: Record<string, number> = {}
    for (const call of options.emulator.calls.slice(before.calls, after.calls))
      if (call.method !== "getUpdates") apiCalls[call.method] = (apiCalls[call.method] ?? 0) + 1
    return {
      apiCalls,
      allocatedBytes: after.gc.allocated - before.gc.allocated,
      promotedBytes: after.gc.promoted - before.gc.promoted,
      scavenges: after.gc.scavenges - before.gc.scavenges,
      markCompacts: after.gc.markCompacts - before.gc.markCompacts,
      fsyncs: after.preload.fsync - before.preload.fsync,
      fdatasyncs: after.preload.fdatasync - before.preload.fdatasync,
      logLines:
        after.preload.stdoutLines - before.preload.stdoutLines + after.files.lines - before.files.lines,
      logBytes:
        after.preload.stdoutBytes - before.preload.stdoutBytes + after.files.bytes - before.files.bytes,
      fibers: after.preload.fibers - before.preload.fibers,
      metricObservations:
        before.metrics === undefined || after.metrics === undefined
          ? undefined
          : after.metrics - before.metrics,
    }
  }
  return { snapshot, between }
}
