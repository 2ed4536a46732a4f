import assert from "node:assert/strict"
import { readdirSync, readFileSync } from "node:fs"
import postgres from "postgres"
import { type BotApiEmulator, startBotApiEmulator } from "../playground/bot-api-emulator.ts"
import { type BotProcess, startBot, temporaryDirectory } from "../test/support/bot-process.ts"
import { freshDatabase, overUnixSocket } from "../test/support/postgres-server.ts"
import { type RoundRobin, startRoundRobin } from "../test/support/round-robin.ts"
import { sampleProcess } from "./process-stats.ts"
import { type LoadResult, registerStudents } from "./students.ts"

export type ReplicaRun = {
  readonly storage: "files" | "postgres"
  readonly replicas: number
  readonly load: LoadResult
  readonly wallSeconds: number
  readonly updatesPerSecond: number
  readonly registrationsPerSecond: number
  /** Updates each replica's handling committed (by updates.handled_by), in start order. */
  readonly handledBy: ReadonlyArray<number>
  readonly retries: number
  readonly database: string
  /** The replicas' log lines at ERROR level (at most 20). */
  readonly errors: ReadonlyArray<string>
  /** Over the load: CPU seconds of each replica and of every PostgreSQL process, and SQL sent by all replicas. */
  readonly cpuSecondsByReplica: ReadonlyArray<number>
  readonly postgresCpuSeconds: number
  readonly statements: number
  readonly transactions: number
}

/** CPU seconds (user + system) of every process named `postgres` on the machine: the server and its backends. */
const postgresCpu = (): number => {
  let ticks = 0
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8")
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"))
      if (comm !== "postgres") continue
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])
    } catch {
      // gone meanwhile
    }
  }
  return ticks / 100
}

/** The SQL a replica sent, from its /metrics (0 for files storage). */
const sqlOf = async (origin: string) => {
  const text = await (await fetch(`${origin}/metrics`)).text()
  const value = (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? 0)
  return {
    statements: value("bot_database_statements_total"),
    transactions: value("bot_database_transactions_total"),
  }
}

const listeningPort = (bot: BotProcess) => /http server listening on port (\d+)/.exec(bot.output())?.[1]

/**
 * `replicas` bot processes in webhook mode on one throwaway PostgreSQL, behind a round-robin balancer;
 * `students` register at once through the Bot API emulator. `kill`: SIGKILL that replica when half of the
 * students have registered. Answers the figures and the database's URL (for checks); stops everything.
 */
export const runReplicas = async (options: {
  /** Files storage (one process only: files are one process's) or PostgreSQL (default). */
  readonly storage?: "files" | "postgres"
  readonly replicas: number
  readonly students: number
  readonly kill?: number
  /** How long a student waits for each answer (default 60 s). */
  readonly stepTimeoutMs?: number
  readonly log?: (line: string) => void
}): Promise<ReplicaRun> => {
  const log = options.log ?? (() => {})
  const storage = options.storage ?? "postgres"
  const database = await freshDatabase()
  // PostgreSQL on the same machine is reached as an operator there would: through its Unix socket
  // (BENCH_PG_TCP=1: over TCP on 127.0.0.1)
  const botDatabase = process.env.BENCH_PG_TCP === "1" ? database : (overUnixSocket(database) ?? database)

  const usersDir = storage === "files" ? await temporaryDirectory("bench-replicas-files-") : undefined
  const origins: Array<string | undefined> = []
  const balancer: RoundRobin = await startRoundRobin(() => origins)
  // Telegram retries a webhook for hours: here too, however busy this process gets.
  const emulator: BotApiEmulator = await startBotApiEmulator({
    webhookOrigin: balancer.url,
    webhookAttempts: 1000,
    webhookTimeoutMs: 60_000,
  })
  const bots: Array<BotProcess> = []
  try {
    for (let i = 0; i < options.replicas; i++)
      bots.push(
        startBot({
          BOT_TOKEN: emulator.token,
          TELEGRAM_API_ROOT: emulator.url,
          ...(usersDir === undefined
            ? { STORAGE: "postgres", DATABASE_URL: botDatabase, DATABASE_POOL_SIZE: "16" }
            : { USERS_DIR: usersDir }),
          WEBHOOK_URL: "https://bot.example.test/hook",
          LOG_LEVEL: "INFO",
          // a CPU profile of each replica, written when it stops (bench/profile-top.ts reads it)
          ...(process.env.BENCH_CPU_PROF_DIR === undefined
            ? {}
            : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}` }),
        }),
      )
    await emulator.waitFor(
      () => bots.every((bot) => listeningPort(bot) !== undefined && bot.output().includes("webhook set")),
      60_000,
    )
    for (const bot of bots) origins.push(`http://127.0.0.1:${listeningPort(bot)}`)
    log(`${options.replicas} replica(s) ready`)
    const sqlBefore = await Promise.all(origins.map((origin) => sqlOf(origin ?? "")))
    const cpuBefore = bots.map((bot) => sampleProcess(bot.child.pid ?? 0)?.cpuSeconds ?? 0)
    const postgresBefore = postgresCpu()
    const started = performance.now()
    const load = await registerStudents(emulator, options.students, {
      firstId: 7_100_000_000,
      now: () => performance.timeOrigin + performance.now(),
      stepTimeoutMs: options.stepTimeoutMs ?? 60_000,
      ...(options.kill === undefined
        ? {}
        : {
            halfway: () => {
              log(`SIGKILL replica ${options.kill} at ${options.students / 2} registrations`)
              void bots[options.kill ?? 0]?.kill()
            },
          }),
    })
    const wallSeconds = (performance.now() - started) / 1000
    const cpuSecondsByReplica = bots.map(
      (bot, index) => (sampleProcess(bot.child.pid ?? 0)?.cpuSeconds ?? 0) - (cpuBefore[index] ?? 0),
    )
    const postgresCpuSeconds = postgresCpu() - postgresBefore
    const sqlAfter = await Promise.all(
      origins.map((origin) => sqlOf(origin ?? "").catch(() => ({ statements: 0, transactions: 0 }))),
    )
    const statements = sqlAfter.reduce(
      (sum, after, index) => sum + after.statements - (sqlBefore[index]?.statements ?? 0),
      0,
    )
    const transactions = sqlAfter.reduce(
      (sum, after, index) => sum + after.transactions - (sqlBefore[index]?.transactions ?? 0),
      0,
    )
    const sql = postgres(database, { max: 1 })
    try {
      const rows =
        storage === "files"
          ? [{ handled_by: `:${bots[0]?.child.pid}:`, n: load.updates }]
          : await sql`select handled_by, count(*)::int as n from updates
        where handled_by is not null group by handled_by`
      const byReplica = new Map(rows.map((row) => [String(row.handled_by), Number(row.n)]))
      const handledBy = bots.map((bot) =>
        [...byReplica]
          .filter(([name]) => name.includes(`:${bot.child.pid}:`))
          .reduce((sum, [, n]) => sum + n, 0),
      )
      return {
        storage,
        cpuSecondsByReplica,
        postgresCpuSeconds,
        statements,
        transactions,
        replicas: options.replicas,
        load,
        wallSeconds,
        updatesPerSecond: load.updates / wallSeconds,
        registrationsPerSecond: load.registered / wallSeconds,
        handledBy,
        retries: balancer.retries(),
        database,
        errors: bots
          .flatMap((bot) => bot.output().split("\n"))
          .filter((line) => /"level":"ERROR"|level=ERROR/.test(line))
          .slice(0, 20),
      }
    } finally {
      await sql.end()
    }
  } finally {
    await Promise.all(bots.map((bot) => (bot.child.exitCode === null ? bot.stop() : bot.exited)))
    await emulator.close()
    await balancer.close()
  }
}

// `npm run bench:replicas [-- STUDENTS]`: files (one process), then PostgreSQL with 1 and with 3 replicas, in
// one run, each behind the same balancer in webhook mode; per update: CPU of the replicas and of PostgreSQL,
// SQL statements (round trips) and transactions.
if (import.meta.main) {
  const students = Number(process.argv[2] ?? 1000)
  // `node bench/replicas.ts 1000 postgres1`: only the named runs (files1, postgres1, postgres3)
  const only = process.argv[3]?.split(",")
  const runs: Array<ReplicaRun> = []
  for (const [storage, replicas] of (
    [
      ["files", 1],
      ["postgres", 1],
      ["postgres", 3],
    ] as const
  ).filter(([storage, replicas]) => only === undefined || only.includes(`${storage}${replicas}`))) {
    const run = await runReplicas({ storage, replicas, students, log: (line) => console.log(`  ${line}`) })
    assert.equal(run.load.failed, 0, run.load.failures.join("\n"))
    runs.push(run)
    const updates = run.load.updates
    const cpu = run.cpuSecondsByReplica.reduce((a, b) => a + b, 0)
    console.log(
      `${storage} ×${replicas}, ${students} students: ${run.updatesPerSecond.toFixed(0)} updates/s, ` +
        `${run.registrationsPerSecond.toFixed(1)} registrations/s (${run.wallSeconds.toFixed(1)} s; handled ${run.handledBy.join(" / ")})\n` +
        `  per update: replicas' CPU ${((1000 * cpu) / updates).toFixed(2)} ms (${run.cpuSecondsByReplica.map((s) => ((1000 * s) / updates).toFixed(2)).join(" + ")}), ` +
        `PostgreSQL CPU ${((1000 * run.postgresCpuSeconds) / updates).toFixed(2)} ms, ` +
        `SQL statements ${(run.statements / updates).toFixed(2)}, transactions ${(run.transactions / updates).toFixed(2)}`,
    )
  }
  const [files, one, three] = runs
  if (files !== undefined && one !== undefined && three !== undefined)
    console.log(
      `ratios: PostgreSQL ×1 / files ${(one.registrationsPerSecond / files.registrationsPerSecond).toFixed(2)} registrations/s; ` +
        `×3 / ×1 ${(three.registrationsPerSecond / one.registrationsPerSecond).toFixed(2)}`,
    )
  console.log(
    JSON.stringify({
      bench: "replicas",
      students,
      runs: runs.map(({ load: _load, errors: _errors, database: _database, ...run }) => ({
        ...run,
        updates: run.handledBy,
      })),
    }),
  )
  process.exit(0)
}
