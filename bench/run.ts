/**
 * `npm run bench [-- --students 1000] [--on-disk 0] [--only ours|baseline] [--profile DIR] [--cold]`
 *
 * Our bot and the grammY baseline, one after the other in the same run, each as a child process
 * against a fresh Bot API emulator on 127.0.0.1, with the same simulated students registering at once.
 * Prints the figures of each, the ratios ours/baseline, and one JSON line with everything. It measures;
 * it asserts nothing.
 */
import { cpus, tmpdir, totalmem } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { type BotName, imageCommand, type RunFigures, runBot } from "./run-bot.ts"
import { STEP_NAMES } from "./students.ts"

const { values } = parseArgs({
  options: {
    students: { type: "string", default: "1000" },
    "on-disk": { type: "string", default: "0" },
    only: { type: "string" },
    profile: { type: "string" },
    "node-flags": { type: "string", default: "" },
    cold: { type: "boolean", default: false },
  },
})

const students = Number(values.students)
const onDisk = Number(values["on-disk"])
if (!Number.isInteger(students) || students < 1 || !Number.isInteger(onDisk) || onDisk < 0) {
  process.stderr.write(
    "usage: npm run bench -- [--students N] [--on-disk N] [--only ours|baseline] [--profile DIR] [--cold]\n",
  )
  process.exit(2)
}
const bots: ReadonlyArray<BotName> =
  values.only === "ours" || values.only === "baseline" ? [values.only] : ["ours", "baseline"]

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
const log = (line: string) => process.stdout.write(`${line}\n`)
log(
  `bench: ${students} students registering at once, ${onDisk} already on disk, ${values.cold ? "no compile cache (cold start)" : "compile cache as in the Docker image"}, ours as the image runs it [node ${[...imageCommand().flags, imageCommand().entry].join(" ")}] — ${machine}`,
)

const results: Array<RunFigures> = []
for (const bot of bots) {
  log(`  ${bot}: running…`)
  const figures = await runBot({
    bot,
    students,
    onDisk,
    profileDir: values.profile,
    compileCache: values.cold ? undefined : join(tmpdir(), "ostad-bench-compile-cache"),
    nodeFlags: values["node-flags"].split(" ").filter((flag) => flag !== ""),
    log,
  })
  results.push(figures)
  for (const failure of figures.failures) log(`  ${bot}: ${failure}`)
}

const rows: ReadonlyArray<[string, (f: RunFigures) => number, "higher" | "lower"]> = [
  ["registrations/s", (f) => f.registrationsPerSecond, "higher"],
  ["updates handled/s", (f) => f.updatesPerSecond, "higher"],
  ["reply latency p50 ms", (f) => f.latencyMs.p50, "lower"],
  ["reply latency p95 ms", (f) => f.latencyMs.p95, "lower"],
  ["reply latency p99 ms", (f) => f.latencyMs.p99, "lower"],
  ["p99 steps 3–10 ms", (f) => f.latencyMs.p99AfterOpening, "lower"],
  ["peak RSS MB", (f) => f.peakRssMb, "lower"],
  ["RSS at ready MB", (f) => f.rssAtReadyMb, "lower"],
  ["RSS idle before load MB", (f) => f.rssIdleMb, "lower"],
  ["CPU s (load)", (f) => f.cpuSeconds, "lower"],
  ["CPU s (total)", (f) => f.cpuSecondsTotal, "lower"],
  ["start-up to ready ms", (f) => f.readyMs, "lower"],
  ["registered", (f) => f.registered, "higher"],
  ["failed", (f) => f.failed, "lower"],
  ["emulator CPU share", (f) => f.emulatorCpuShare, "lower"],
]
const [ours, baseline] = [results.find((r) => r.bot === "ours"), results.find((r) => r.bot === "baseline")]
const pad = (text: string, width: number) => text.padStart(width)
log("")
log(`${"".padEnd(22)}${pad("ours", 12)}${pad("baseline", 12)}${pad("ours/base", 12)}`)
for (const [label, pick] of rows) {
  const a = ours === undefined ? undefined : pick(ours)
  const b = baseline === undefined ? undefined : pick(baseline)
  const ratio = a !== undefined && b !== undefined && b !== 0 ? (a / b).toFixed(2) : ""
  log(`${label.padEnd(22)}${pad(String(a ?? ""), 12)}${pad(String(b ?? ""), 12)}${pad(ratio, 12)}`)
}
log("")
log("reply latency by step, p50 / p99 ms (steps 1–2: every student's /start and first name arrive at once)")
for (const [index, step] of STEP_NAMES.entries()) {
  const cell = (f: RunFigures | undefined) => {
    const figures = f?.latencyByStepMs[index]
    return figures === undefined ? "" : `${Math.round(figures.p50)} / ${Math.round(figures.p99)}`
  }
  log(`${`${index + 1}. ${step}`.padEnd(22)}${pad(cell(ours), 12)}${pad(cell(baseline), 12)}`)
}
const ratios =
  ours !== undefined && baseline !== undefined
    ? {
        registrationsPerSecond: ours.registrationsPerSecond / baseline.registrationsPerSecond,
        p99: ours.latencyMs.p99 / baseline.latencyMs.p99,
        peakRss: ours.peakRssMb / baseline.peakRssMb,
      }
    : undefined
log("")
log(JSON.stringify({ bench: "registration", students, onDisk, machine, results, ratios }))
