/**
 * `npm run bench [-- --students 1000] [--on-disk 0] [--only ours|baseline] [--runs 1] [--profile DIR] [--cold]
 *   [--memory-limit 256M]`
 *
 * Our bot and the grammY baseline, one after the other in the same run, each as a child process
 * against a fresh Bot API emulator on 127.0.0.1, with the same simulated students registering at once.
 * Prints the figures of each, the ratios ours/baseline, and one JSON line with everything. With
 * `--runs N` the two alternate N times, and each figure is the median of its N runs, each ratio the median
 * of the N rounds' ratios, with their range: on a shared machine one round's ratio can be off by 20 %.
 * It measures; it asserts nothing.
 */
import { cpus, tmpdir, totalmem } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { IMAGE } from "./image.ts"
import { parseBytes } from "./memory-limit.ts"
import { type BotName, type RunFigures, runBot } from "./run-bot.ts"
import { STEP_NAMES } from "./students.ts"

const { values } = parseArgs({
  options: {
    students: { type: "string", default: "1000" },
    "on-disk": { type: "string", default: "0" },
    only: { type: "string" },
    profile: { type: "string" },
    "node-flags": { type: "string", default: "" },
    cold: { type: "boolean", default: false },
    runs: { type: "string", default: "1" },
    "memory-limit": { type: "string" },
  },
})

const students = Number(values.students)
const onDisk = Number(values["on-disk"])
const runs = Number(values.runs)
const memoryLimit = values["memory-limit"] === undefined ? undefined : parseBytes(values["memory-limit"])
if (
  (values["memory-limit"] !== undefined && memoryLimit === undefined) ||
  !Number.isInteger(students) ||
  students < 1 ||
  !Number.isInteger(onDisk) ||
  onDisk < 0 ||
  !Number.isInteger(runs) ||
  runs < 1
) {
  process.stderr.write(
    "usage: npm run bench -- [--students N] [--on-disk N] [--only ours|baseline] [--runs N] [--profile DIR] [--cold] [--memory-limit 256M]\n",
  )
  process.exit(2)
}
const bots: ReadonlyArray<BotName> =
  values.only === "ours" || values.only === "baseline" ? [values.only] : ["ours", "baseline"]

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
const log = (line: string) => process.stdout.write(`${line}\n`)
log(
  `bench: ${students} students registering at once, ${onDisk} already on disk, ${values.cold ? "no compile cache (cold start)" : "compile cache as in the Docker image"}${memoryLimit === undefined ? "" : `, each bot in a cgroup limited to ${values["memory-limit"]} (a container's memory limit)`}, ours as the image runs it [node ${[...IMAGE.flags, IMAGE.entry].join(" ")}] — ${machine}`,
)

/** Each round runs every bot once, alternating, so that both see the same state of the machine. */
const rounds: Array<Map<BotName, RunFigures>> = []
for (let round = 1; round <= runs; round++) {
  const figuresOf = new Map<BotName, RunFigures>()
  for (const bot of bots) {
    log(`  ${bot}: running…${runs > 1 ? ` (round ${round} of ${runs})` : ""}`)
    const figures = await runBot({
      bot,
      students,
      onDisk,
      profileDir: values.profile,
      compileCache: values.cold ? undefined : join(tmpdir(), "ostad-bench-compile-cache"),
      nodeFlags: values["node-flags"].split(" ").filter((flag) => flag !== ""),
      memoryLimit,
      log,
    })
    figuresOf.set(bot, figures)
    for (const failure of figures.failures) log(`  ${bot}: ${failure}`)
  }
  rounds.push(figuresOf)
}
const results = rounds.flatMap((round) => [...round.values()])

const median = (values: ReadonlyArray<number>): number | undefined => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  if (sorted.length === 0) return undefined
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}
const runsOf = (bot: BotName) =>
  rounds.flatMap((round) => {
    const figures = round.get(bot)
    return figures === undefined ? [] : [figures]
  })
/** Each round's ours/baseline of `pick`. */
const ratiosOf = (pick: (f: RunFigures) => number) =>
  rounds.flatMap((round) => {
    const [a, b] = [round.get("ours"), round.get("baseline")]
    return a === undefined || b === undefined || pick(b) === 0 ? [] : [pick(a) / pick(b)]
  })

const rows: ReadonlyArray<[string, (f: RunFigures) => number]> = [
  ["registrations/s", (f) => f.registrationsPerSecond],
  ["updates handled/s", (f) => f.updatesPerSecond],
  ["reply latency p50 ms", (f) => f.latencyMs.p50],
  ["reply latency p95 ms", (f) => f.latencyMs.p95],
  ["reply latency p99 ms", (f) => f.latencyMs.p99],
  ["p99 steps 3–10 ms", (f) => f.latencyMs.p99AfterOpening],
  ["peak RSS MB", (f) => f.peakRssMb],
  ["RSS at ready MB", (f) => f.rssAtReadyMb],
  ["RSS idle before load MB", (f) => f.rssIdleMb],
  ["CPU s (load)", (f) => f.cpuSeconds],
  ["CPU s (total)", (f) => f.cpuSecondsTotal],
  ["start-up to ready ms", (f) => f.readyMs],
  ["registered", (f) => f.registered],
  ["failed", (f) => f.failed],
  ["emulator CPU share", (f) => f.emulatorCpuShare],
]
const pad = (text: string, width: number) => text.padStart(width)
const figure = (value: number | undefined) =>
  value === undefined ? "" : String(Math.round(value * 100) / 100)
log("")
if (runs > 1) log(`median of ${runs} rounds; ours/base is the median of the rounds' ratios, then their range`)
log(
  `${"".padEnd(24)}${pad("ours", 12)}${pad("baseline", 12)}${pad("ours/base", 12)}${runs > 1 ? pad("range", 14) : ""}`,
)
for (const [label, pick] of rows) {
  const ratios = ratiosOf(pick)
  const ratio = median(ratios)
  const range =
    runs > 1 && ratios.length > 0 ? `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}` : ""
  log(
    `${label.padEnd(24)}${pad(figure(median(runsOf("ours").map(pick))), 12)}${pad(figure(median(runsOf("baseline").map(pick))), 12)}${pad(ratio === undefined ? "" : ratio.toFixed(2), 12)}${runs > 1 ? pad(range, 14) : ""}`,
  )
}
// The bots share the machine's cores with the load (the emulator and the students, in this process): the CPU
// a bot may spend per update to register at twice the baseline's rate is what those cores leave it.
const generatorMs = median(
  results.map((f) => (1000 * f.emulatorCpuShare * f.wallSeconds) / Math.max(1, f.registered)),
)
const baselineRate = median(runsOf("baseline").map((f) => f.registrationsPerSecond))
const updatesPerRegistration = median(results.map((f) => f.updates / Math.max(1, f.registered)))
if (generatorMs !== undefined && baselineRate !== undefined && updatesPerRegistration !== undefined) {
  const cores = cpus().length
  const target = 2 * baselineRate
  const loadCores = (target * generatorMs) / 1000
  log(
    `the load itself costs ${generatorMs.toFixed(2)} CPU ms per registration: at 2× the baseline's ${baselineRate} registrations/s ` +
      `it takes ${loadCores.toFixed(2)} of ${cores} cores, leaving a bot ` +
      `≤ ${((1000 * (cores - loadCores)) / (target * updatesPerRegistration)).toFixed(2)} CPU ms per update`,
  )
}
log("")
log("reply latency by step, p50 / p99 ms (steps 1–2: every student's /start and first name arrive at once)")
for (const [index, step] of STEP_NAMES.entries()) {
  const cell = (bot: BotName) => {
    const steps = runsOf(bot).flatMap((f) => f.latencyByStepMs[index] ?? [])
    const [p50, p99] = [median(steps.map((s) => s.p50)), median(steps.map((s) => s.p99))]
    return p50 === undefined || p99 === undefined ? "" : `${Math.round(p50)} / ${Math.round(p99)}`
  }
  log(`${`${index + 1}. ${step}`.padEnd(24)}${pad(cell("ours"), 12)}${pad(cell("baseline"), 12)}`)
}
log("")
log("per update handled, over the load (bench/counters.ts)")
const perUpdate: ReadonlyArray<[string, (f: RunFigures) => number | undefined]> = [
  ["CPU ms", (f) => (f.cpuSeconds * 1000) / f.updates],
  ["allocated KB", (f) => f.counters.allocatedBytes / 1024 / f.updates],
  ["promoted KB", (f) => f.counters.promotedBytes / 1024 / f.updates],
  ["GCs (scavenge + full)", (f) => (f.counters.scavenges + f.counters.markCompacts) / f.updates],
  ["Bot API calls", (f) => Object.values(f.counters.apiCalls).reduce((a, b) => a + b, 0) / f.updates],
  ["log lines", (f) => f.counters.logLines / f.updates],
  ["log bytes", (f) => f.counters.logBytes / f.updates],
  [
    "metric observations",
    (f) =>
      f.counters.metricObservations === undefined ? undefined : f.counters.metricObservations / f.updates,
  ],
  ["fibers started", (f) => f.counters.fibers / f.updates],
  ["fsync + fdatasync", (f) => (f.counters.fsyncs + f.counters.fdatasyncs) / f.updates],
  ["fsync + fdatasync /reg", (f) => (f.counters.fsyncs + f.counters.fdatasyncs) / Math.max(1, f.registered)],
]
const cellOf = (bot: BotName, pick: (f: RunFigures) => number | undefined) => {
  const values = runsOf(bot).flatMap((f) => {
    const value = pick(f)
    return value === undefined || !Number.isFinite(value) ? [] : [value]
  })
  const value = median(values)
  return value === undefined ? "" : value < 10 ? value.toFixed(3) : value.toFixed(1)
}
for (const [label, pick] of perUpdate) {
  const ours = median(
    runsOf("ours")
      .flatMap((f) => [pick(f) ?? Number.NaN])
      .filter(Number.isFinite),
  )
  const base = median(
    runsOf("baseline")
      .flatMap((f) => [pick(f) ?? Number.NaN])
      .filter(Number.isFinite),
  )
  const ratio = ours === undefined || base === undefined || base === 0 ? "" : (ours / base).toFixed(2)
  log(
    `${label.padEnd(24)}${pad(cellOf("ours", pick), 12)}${pad(cellOf("baseline", pick), 12)}${pad(ratio, 12)}`,
  )
}
const methods = [...new Set(results.flatMap((f) => Object.keys(f.counters.apiCalls)))].sort()
for (const method of methods)
  log(
    `${`  ${method}`.padEnd(24)}${pad(
      cellOf("ours", (f) => (f.counters.apiCalls[method] ?? 0) / f.updates),
      12,
    )}${pad(
      cellOf("baseline", (f) => (f.counters.apiCalls[method] ?? 0) / f.updates),
      12,
    )}`,
  )
const ratioOf = (pick: (f: RunFigures) => number) => median(ratiosOf(pick))
const ratios =
  runsOf("ours").length > 0 && runsOf("baseline").length > 0
    ? {
        registrationsPerSecond: ratioOf((f) => f.registrationsPerSecond),
        p99: ratioOf((f) => f.latencyMs.p99),
        peakRss: ratioOf((f) => f.peakRssMb),
        cpuPerUpdate: ratioOf((f) => f.cpuSeconds / f.updates),
      }
    : undefined
log("")
log(JSON.stringify({ bench: "registration", students, onDisk, runs, machine, results, ratios }))
