import { Duration, Effect, Redacted, Scope } from "effect"
import { connect, Database, makeQueries, type Sql } from "../../src/adapters/postgres/database.ts"
import { makeInbox } from "../../src/adapters/postgres/inbox.ts"
import type { Job } from "../../src/adapters/system/update-queue.ts"

/** An update as the tests submit it; `slow`: its handling sleeps on the replicas it names (or on all). */
export type Raw = {
  readonly update_id: number
  readonly chat: number
  readonly slow?: { readonly ms: number; readonly on?: string }
}

/**
 * A replica's inbox whose jobs append "chat:update" to `handled` and write a row of `effects` in the same
 * transaction (so a rolled-back handling leaves no row behind). `onWork` is told when a job starts.
 */
export const replica = async (
  url: string,
  name: string,
  handled: Array<string>,
  onWork: (update: Raw) => void = () => undefined,
) => {
  const sql: Sql = connect({ url: Redacted.make(url), poolSize: 6 })
  const db = makeQueries(sql)
  const toJob = (raw: unknown): Job & { raw: unknown } => {
    const update = raw as Raw
    return {
      id: update.update_id,
      key: update.chat,
      raw,
      work: Effect.gen(function* () {
        onWork(update)
        const slow = update.slow
        if (slow !== undefined && (slow.on === undefined || slow.on === name))
          yield* Effect.sleep(Duration.millis(slow.ms))
        yield* db.query(
          "effect",
          (tx) => tx`insert into effects (update_id, replica) values (${update.update_id}, ${name})`,
        )
        handled.push(`${update.chat}:${update.update_id}`)
      }).pipe(Effect.orDie),
    }
  }
  const scope = Effect.runSync(Scope.make())
  const inbox = await Effect.runPromise(
    makeInbox({ replica: name, toJob, maxInFlight: 4, sweepEvery: Duration.millis(100) }).pipe(
      Effect.provideService(Database, { sql }),
      Scope.extend(scope),
    ),
  )
  return {
    sql,
    scope,
    submit: (raw: Raw) => Effect.runPromise(inbox.submit(toJob(raw))),
  }
}

/**
 * Run as a process (`node inbox-replica.ts <url> <name> <update json>`): a replica that submits one update
 * and prints "working" when its handling starts, so that a test can kill it with SIGKILL mid-way.
 */
if (import.meta.main) {
  const [url, name, update] = process.argv.slice(2)
  if (url === undefined || name === undefined || update === undefined) throw new Error("url name update")
  const started = await replica(url, name, [], () => process.stdout.write("working\n"))
  process.stdout.write(`${await started.submit(JSON.parse(update) as Raw)}\n`)
}
