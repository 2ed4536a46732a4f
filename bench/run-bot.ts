import { spawn } from "node:child_process"
import { mkdir, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, relative, resolve } from "node:path"
import { type BotApiEmulator, startBotApiEmulator } from "../playground/bot-api-emulator.ts"
import { COUNTING_FLAGS, gcTrace, type LoadCounters, loadCounters } from "./counters.ts"
import { IMAGE, keptBundle } from "./image.ts"
import { makeMemoryLimit } from "./memory-limit.ts"
import { sampleProcess } from "./process-stats.ts"
import { seedStudents } from "./seed-students.ts"
import { registerStudents, STEP_NAMES } from "./students.ts"

const ROOT = resolve(import.meta.dirname, "..")
const BASELINE = resolve(import.meta.dirname, "baseline-grammy/bot.ts")
export type BotName = "ours" | "baseline"

/** The file node runs for `bot`: ours as the image runs it (the bundle, when the image runs one). */
const entryOf = async (bot: BotName, work: string): Promise<string> => {
  if (bot === "baseline") return BASELINE
  if (!IMAGE.entry.startsWith("dist/")) return join(ROOT, IMAGE.entry)
  return join(await keptBundle(work), relative("dist", IMAGE.entry))
}

export type RunOptions = {
  readonly bot: BotName
  readonly students: number
  /** Registered students already on disk when the bot starts. */
  readonly onDisk: number
  /** Where --cpu-prof profiles and a heap snapshot (taken after the load) go; none when undefined. */
  readonly profileDir?: string | undefined
  /** Extra node flags for the bot process (experiments, e.g. "--max-semi-space-size=8"). */
  readonly nodeFlags?: ReadonlyArray<string>
  /** Runs the bot in a cgroup limited to this many bytes, as a container's memory limit would (Linux, root). */
  readonly memoryLimit?: number | undefined
  /** NODE_COMPILE_CACHE for the bot (the Docker image sets one); undefined = none, a cold start. */
  readonly compileCache?: string | undefined
  readonly log?: (line: string) => void
}

export type RunFigures = {
  readonly bot: BotName
  readonly students: number
  readonly onDisk: number
  readonly registered: number
  readonly failed: number
  readonly updates: number
  readonly wallSeconds: number
  readonly registrationsPerSecond: number
  readonly updatesPerSecond: number
  readonly latencyMs: {
    readonly p50: number
    readonly p95: number
    readonly p99: number
    readonly max: number
    /** p99 past the opening burst (every student's /start and first name at once): steps 3–10. */
    readonly p99AfterOpening: number
  }
  /** p50 and p99 of each step (STEP_NAMES order). */
  readonly latencyByStepMs: ReadonlyArray<{
    readonly step: string
    readonly p50: number
    readonly p99: number
  }>
  /** Spawn → the bot's first getUpdates. */
  readonly readyMs: number
  readonly peakRssMb: number
  readonly rssAtReadyMb: number
  /**
   * Before the load, once start-up work is over (ours builds its student index in the background, then
   * compacts its heap): 3 s after ready, 10 s with students on disk.
   */
  readonly rssIdleMb: number
  readonly rssAfterMb: number
  /** Bot CPU while the students registered, and in all (start-up included). */
  readonly cpuSeconds: number
  readonly cpuSecondsTotal: number
  /** CPU of the bench process (emulator + students) per second of load: near 1 means it was the limit. */
  readonly emulatorCpuShare: number
  readonly failures: ReadonlyArray<string>
  /** Counted over the load (bench/counters.ts). */
  readonly counters: LoadCounters
}

/** Milliseconds since the epoch with sub-millisecond resolution, for update and call times. */
const preciseNow = () => performance.timeOrigin + performance.now()

const percentile = (sorted: Float64Array, p: number): number =>
  sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0)

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits

const waitForReady = (emulator: BotApiEmulator, output: () => string, timeoutMs: number) =>
  new Promise<number>((done, fail) => {
    const timer = setTimeout(() => {
      stop()
      fail(new Error(`the bot did not poll within ${timeoutMs} ms:\n${output().slice(-2000)}`))
    }, timeoutMs)
    const stop = emulator.onChange((event) => {
      if (event.type === "poll") {
        clearTimeout(timer)
        stop()
        done(event.at)
      }
    })
  })

/** Starts one bot as a child process against a fresh emulator, registers the students, measures. */
export const runBot = async (options: RunOptions): Promise<RunFigures> => {
  const log = options.log ?? (() => {})
  const work = await mkdtemp(join(tmpdir(), `bench-${options.bot}-`))
  const usersDir = join(work, "users")
  if (options.onDisk > 0) {
    const seeding = preciseNow()
    await seedStudents(usersDir, options.onDisk)
    log(`  ${options.bot}: ${options.onDisk} students on disk in ${Math.round(preciseNow() - seeding)} ms`)
  }
  if (options.profileDir !== undefined) await mkdir(options.profileDir, { recursive: true })
  const entry = await entryOf(options.bot, work)
  const emulator = await startBotApiEmulator({ now: preciseNow })
  const profiling =
    options.profileDir === undefined
      ? []
      : [
          "--cpu-prof",
          `--cpu-prof-dir=${options.profileDir}`,
          `--cpu-prof-name=${options.bot}-${options.students}.cpuprofile`,
          `--diagnostic-dir=${options.profileDir}`,
          "--heapsnapshot-signal=SIGUSR2",
        ]
  const spawnedAt = preciseNow()
  const deployed = options.bot === "ours" ? IMAGE.flags : []
  // ours with the image's ENV (NODE_ENV, GLIBC_TUNABLES…); its paths, port and compile cache are the bench's
  const { NODE_COMPILE_CACHE: _imageCache, ...deployedEnv } = options.bot === "ours" ? IMAGE.env : {}
  const limit =
    options.memoryLimit === undefined
      ? undefined
      : await makeMemoryLimit(options.memoryLimit, `ostad-bench-${process.pid}-${options.bot}`)
  const argv = [...profiling, ...COUNTING_FLAGS, ...deployed, ...(options.nodeFlags ?? []), entry]
  const countersFile = join(work, "counters.json")
  const spawned = limit?.wrap(process.execPath, argv) ?? { command: process.execPath, args: argv }
  const child = spawn(spawned.command, spawned.args, {
    cwd: ROOT, // data/catalog.json, as in the image's WORKDIR
    env: {
      ...deployedEnv,
      PATH: process.env.PATH ?? "",
      // as the Docker image does (NODE_COMPILE_CACHE); one cache for both bots, none for a cold start
      ...(options.compileCache === undefined ? {} : { NODE_COMPILE_CACHE: options.compileCache }),
      BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.url,
      USERS_DIR: usersDir,
      RECORDS_DIR: join(work, "records"),
      SESSIONS_DIR: join(work, "sessions"),
      LOG_DIR: join(work, "logs"),
      PORT: "0",
      BENCH_COUNTERS_FILE: countersFile,
      // an allocation profile when asked for (bench/alloc-preload.ts)
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith("BENCH_ALLOC"))),
    },
    stdio: ["ignore", "pipe", "pipe"],
  })
  let output = ""
  const gc = gcTrace()
  let metricsPort: number | undefined
  const keep = (chunk: Buffer) => {
    const text = chunk.toString()
    gc.feed(text)
    const lines = text.split("\n").filter((line) => !line.includes(" gc="))
    output = (output + lines.join("\n")).slice(-20_000)
    metricsPort ??= Number(/http server listening on port (\d+)/.exec(text)?.[1]) || undefined
  }
  child.stdout.on("data", keep)
  child.stderr.on("data", keep)
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)))
  const pid = child.pid ?? 0
  try {
    const readyAt = await waitForReady(emulator, () => output, 30_000)
    const atReady = sampleProcess(pid)
    await new Promise((done) => setTimeout(done, options.onDisk > 0 ? 10_000 : 3000))
    const idle = sampleProcess(pid)
    const counting = loadCounters({
      emulator,
      gc: gc.totals,
      countersFile,
      logDir: join(work, "logs"),
      metricsPort: () => metricsPort,
    })
    const beforeLoad = await counting.snapshot()
    const idleAgain = sampleProcess(pid)
    const benchCpu = process.cpuUsage()
    const load = await registerStudents(emulator, options.students, {
      firstId: 7_000_000_000,
      now: preciseNow,
      ...(options.profileDir === undefined ? {} : { halfway: () => child.kill("SIGUSR2") }),
    })
    const benchCpuUsed = process.cpuUsage(benchCpu)
    const afterLoad = sampleProcess(pid)
    const counters = counting.between(beforeLoad, await counting.snapshot())
    if (options.profileDir !== undefined) {
      // the heap under load was taken halfway; this one shows what stays
      child.kill("SIGUSR2")
      await new Promise((done) => setTimeout(done, options.onDisk > 0 ? 10_000 : 3000))
    }
    // a bot that died or stalled says why in its last lines
    if (load.failed > 0) log(`  ${options.bot}: last output of the bot:\n${output.slice(-2000)}`)
    const allOf = (steps: ReadonlyArray<Float64Array>) =>
      Float64Array.from(steps.flatMap((step) => [...step])).sort()
    const sorted = allOf(load.latenciesByStep)
    const afterOpening = allOf(load.latenciesByStep.slice(2))
    const wallSeconds = load.wallMs / 1000
    const cpuTotal = afterLoad?.cpuSeconds ?? Number.NaN
    return {
      bot: options.bot,
      students: options.students,
      onDisk: options.onDisk,
      registered: load.registered,
      failed: load.failed,
      updates: load.updates,
      wallSeconds: round(wallSeconds, 2),
      registrationsPerSecond: round(load.registered / wallSeconds),
      updatesPerSecond: round(load.updates / wallSeconds),
      latencyMs: {
        p50: round(percentile(sorted, 0.5)),
        p95: round(percentile(sorted, 0.95)),
        p99: round(percentile(sorted, 0.99)),
        max: round(sorted[sorted.length - 1] ?? Number.NaN),
        p99AfterOpening: round(percentile(afterOpening, 0.99)),
      },
      latencyByStepMs: STEP_NAMES.map((step, index) => {
        const values = (load.latenciesByStep[index] ?? new Float64Array()).sort()
        return { step, p50: round(percentile(values, 0.5)), p99: round(percentile(values, 0.99)) }
      }),
      readyMs: Math.round(readyAt - spawnedAt),
      peakRssMb: round((afterLoad?.peakRss ?? Number.NaN) / 2 ** 20),
      rssAtReadyMb: round((atReady?.rss ?? Number.NaN) / 2 ** 20),
      rssIdleMb: round((idle?.rss ?? Number.NaN) / 2 ** 20),
      rssAfterMb: round((afterLoad?.rss ?? Number.NaN) / 2 ** 20),
      cpuSeconds: round(cpuTotal - (idleAgain?.cpuSeconds ?? idle?.cpuSeconds ?? 0), 2),
      cpuSecondsTotal: round(cpuTotal, 2),
      emulatorCpuShare: round((benchCpuUsed.user + benchCpuUsed.system) / 1e6 / wallSeconds, 2),
      failures: load.failures,
      counters,
    }
  } finally {
    child.kill("SIGTERM")
    let timer: NodeJS.Timeout | undefined
    const slow = new Promise((done) => {
      timer = setTimeout(() => done("slow"), 10_000)
    })
    const stopped = await Promise.race([exited, slow])
    clearTimeout(timer)
    if (stopped === "slow") {
      child.kill("SIGKILL")
      await exited
    }
    await emulator.close()
    await limit?.remove()
    await rm(work, { recursive: true, force: true })
  }
}
