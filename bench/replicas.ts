import assert from "node:assert/strict"
import postgres from "postgres"
import { type BotApiEmulator, startBotApiEmulator } from "../src/playground/bot-api-emulator.ts"
import { type BotProcess, startBot } from "../test/support/bot-process.ts"
import { freshDatabase } from "../test/support/postgres-server.ts"
import { type RoundRobin, startRoundRobin } from "../test/support/round-robin.ts"
import { type LoadResult, registerStudents } from "./students.ts"

export type ReplicaRun = {
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
}

const listeningPort = (bot: BotProcess) => /http server listening on port (\d+)/.exec(bot.output())?.[1]

/**
 * `replicas` bot processes in webhook mode on one throwaway PostgreSQL, behind a round-robin balancer;
 * `students` register at once through the Bot API emulator. `kill`: SIGKILL that replica when half of the
 * students have registered. Answers the figures and the database's URL (for checks); stops everything.
 */
export const runReplicas = async (options: {
  readonly replicas: number
  readonly students: number
  readonly kill?: number
  /** How long a student waits for each answer (default 60 s). */
  readonly stepTimeoutMs?: number
  readonly log?: (line: string) => void
}): Promise<ReplicaRun> => {
  const log = options.log ?? (() => {})
  const database = await freshDatabase()
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
          STORAGE: "postgres",
          DATABASE_URL: database,
          DATABASE_POOL_SIZE: "16",
          WEBHOOK_URL: "https://bot.example.test/hook",
          LOG_LEVEL: "INFO",
        }),
      )
    await emulator.waitFor(
      () => bots.every((bot) => listeningPort(bot) !== undefined && bot.output().includes("webhook set")),
      60_000,
    )
    for (const bot of bots) origins.push(`http://127.0.0.1:${listeningPort(bot)}`)
    log(`${options.replicas} replica(s) ready`)
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
    const sql = postgres(database, { max: 1 })
    try {
      const rows = await sql`select handled_by, count(*)::int as n from updates
        where handled_by is not null group by handled_by`
      const byReplica = new Map(rows.map((row) => [String(row.handled_by), Number(row.n)]))
      const handledBy = bots.map((bot) =>
        [...byReplica]
          .filter(([name]) => name.includes(`:${bot.child.pid}:`))
          .reduce((sum, [, n]) => sum + n, 0),
      )
      return {
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

// `npm run bench:replicas [-- STUDENTS]`: throughput with 1 and with 3 replicas.
if (import.meta.main) {
  const students = Number(process.argv[2] ?? 1000)
  for (const replicas of [1, 3]) {
    const run = await runReplicas({ replicas, students, log: (line) => console.log(`  ${line}`) })
    assert.equal(run.load.failed, 0, run.load.failures.join("\n"))
    console.log(
      `${replicas} replica(s), ${students} students: ${run.updatesPerSecond.toFixed(0)} updates/s, ` +
        `${run.registrationsPerSecond.toFixed(1)} registrations/s (${run.wallSeconds.toFixed(1)} s; handled ${run.handledBy.join(" / ")})`,
    )
  }
  process.exit(0)
}
