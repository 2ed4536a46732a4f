import assert from "node:assert/strict"
import { describe, it } from "node:test"
import postgres from "postgres"
import { runReplicas } from "../../bench/replicas.ts"

const STUDENTS = 1000
const REPLICAS = 3
const KILLED = 1

describe("three replicas behind one webhook, on one PostgreSQL", () => {
  it(`registers ${STUDENTS} students with updates round-robin, one replica SIGKILLed half way`, async () => {
    // A loaded machine answers slowly: students are patient (the figures are printed, not asserted).
    const run = await runReplicas({
      replicas: REPLICAS,
      students: STUDENTS,
      kill: KILLED,
      stepTimeoutMs: 240_000,
    })
    assert.equal(run.load.failed, 0, run.load.failures.join("\n"))
    assert.equal(run.load.registered, STUDENTS)
    const sql = postgres(run.database, { max: 1 })
    try {
      const [updates] = await sql`select count(*)::int as received,
          count(handled_at)::int as handled,
          count(*) filter (where attempts > 1)::int as restarted,
          coalesce(max(attempts), 0)::int as most
        from updates where payload is not null`
      assert.equal(
        updates?.received,
        run.load.updates,
        "every update stored once (the key refused redeliveries)",
      )
      assert.equal(updates?.handled, run.load.updates, "every update handled")
      // Only what the killed replica was in the middle of is handled a second time, from the same state
      // (its transaction rolled back): at most its in-flight limit (pool size 16 less 4).
      assert.ok((updates?.restarted ?? 0) <= 12, `restarted ${updates?.restarted}`)
      assert.ok((updates?.most ?? 0) <= 2)

      const [disorder] = await sql`select count(*)::int as n from (
          select update_id, lag(update_id) over (partition by chat_key order by handled_seq) as previous
          from updates where payload is not null) handled
        where previous > update_id`
      assert.equal(disorder?.n, 0, "each chat's updates handled in update_id order")

      const [students] = await sql`select count(*)::int as n, count(distinct user_id)::int as distinct_ids,
          count(*) filter (where registration_date is not null and phone like '+989%')::int as complete
        from students`
      assert.deepEqual(students, { n: STUDENTS, distinct_ids: STUDENTS, complete: STUDENTS })
      const [drafts] = await sql`select count(*)::int as n from drafts where conversation is not null`
      assert.equal(drafts?.n, 0, "no registration left half way")

      for (const [index, handled] of run.handledBy.entries())
        assert.ok(handled > 0, `replica ${index} handled updates (${run.handledBy.join(" / ")})`)
      assert.ok(run.retries > 0, "updates sent to the killed replica went to the others")
      console.log(
        `replicas: ${STUDENTS} students, ${run.load.updates} updates in ${run.wallSeconds.toFixed(1)} s ` +
          `(${run.updatesPerSecond.toFixed(0)} updates/s) on ${REPLICAS} replicas, handled ${run.handledBy.join(" / ")}, ` +
          `${updates?.restarted} restarted after the SIGKILL, ${run.retries} deliveries retried`,
      )
    } finally {
      await sql.end()
    }
  })
})
