import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { once } from "node:events"
import { createInterface } from "node:readline"
import { after, describe, it } from "node:test"
import { Effect, Exit, Redacted, Scope } from "effect"
import { connect, type Sql } from "../../../src/adapters/postgres/database.ts"
import { migrate } from "../../../src/adapters/postgres/migrations.ts"
import { type Raw, replica as startReplica } from "../../support/inbox-replica.ts"
import { freshDatabase } from "../../support/postgres-server.ts"

const pools: Array<Sql> = []
const scopes: Array<Scope.CloseableScope> = []
after(async () => {
  for (const scope of scopes) await Effect.runPromise(Scope.close(scope, Exit.void))
  await Promise.all(pools.map((sql) => sql.end({ timeout: 1 })))
})

const replica = async (url: string, name: string, handled: Array<string>, onWork?: (update: Raw) => void) => {
  const started = await startReplica(url, name, handled, onWork)
  pools.push(started.sql)
  scopes.push(started.scope)
  return started
}

const REPLICA_PROCESS = new URL("../../support/inbox-replica.ts", import.meta.url).pathname

const database = async () => {
  const url = await freshDatabase()
  const sql = connect({ url: Redacted.make(url), poolSize: 2 })
  pools.push(sql)
  await migrate(sql)
  await sql`create table effects (update_id bigint primary key, replica text not null)`
  return { url, sql }
}

const until = async (check: () => Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error("not within time")
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe("PostgreSQL inbox: several replicas, one webhook", () => {
  it("handles each update once, refuses a redelivery on any replica, and keeps each chat's order", async () => {
    const { url, sql } = await database()
    const handled: Array<string> = []
    // every start of a handling, whether it commits or not: with no replica failing, each update once
    const begun: Array<number> = []
    const onWork = (update: Raw) => void begun.push(update.update_id)
    const replicas = [
      await replica(url, "a", handled, onWork),
      await replica(url, "b", handled, onWork),
      await replica(url, "c", handled, onWork),
    ]
    const chats = 12
    const perChat = 8
    let next = 1
    const outcomes: Array<string> = []
    // Each chat's updates arrive one after another (as Telegram sends them), spread over the replicas;
    // every one is also delivered a second time to another replica.
    await Promise.all(
      Array.from({ length: chats }, async (_, chat) => {
        for (let i = 0; i < perChat; i++) {
          const update = { update_id: next++, chat: 100 + chat, ...(i === 2 ? { slow: { ms: 300 } } : {}) }
          const [first, second] = [replicas[(chat + i) % 3], replicas[(chat + i + 1) % 3]]
          assert.ok(first && second)
          outcomes.push(await first.submit(update))
          outcomes.push(await second.submit(update))
        }
      }),
    )
    assert.equal(outcomes.filter((outcome) => outcome === "accepted").length, chats * perChat)
    assert.equal(outcomes.filter((outcome) => outcome === "duplicate").length, chats * perChat)
    await until(
      async () => Number((await sql`select count(*)::int as n from effects`)[0]?.n) === chats * perChat,
    )
    assert.equal(new Set(handled).size, handled.length, "no update handled twice")
    assert.equal(
      begun.length,
      chats * perChat,
      "no handling begun twice (a chat held by one replica at a time)",
    )
    for (let chat = 0; chat < chats; chat++) {
      const order = handled
        .filter((entry) => entry.startsWith(`${100 + chat}:`))
        .map((entry) => Number(entry.split(":")[1]))
      assert.deepEqual(
        order,
        [...order].sort((a, b) => a - b),
        `chat ${100 + chat} in order`,
      )
    }
    const rows = await sql`select chat_key, update_id from updates order by handled_seq`
    const seen = new Map<string, number>()
    for (const row of rows) {
      assert.ok(
        (seen.get(row.chat_key) ?? 0) < Number(row.update_id),
        "handled_seq follows update_id per chat",
      )
      seen.set(row.chat_key, Number(row.update_id))
    }
    const [spread] = await sql`select count(distinct handled_by)::int as n from updates`
    assert.equal(spread?.n, 3, "every replica handled some")
  })

  it("rolls back the handling of a replica killed mid-way (SIGKILL), and another replica handles it", async () => {
    const { url, sql } = await database()
    const handled: Array<string> = []
    const b = await replica(url, "survivor", handled)
    const update: Raw = { update_id: 1, chat: 7, slow: { ms: 60_000, on: "dying" } }
    const dying = spawn(process.execPath, [REPLICA_PROCESS, url, "dying", JSON.stringify(update)], {
      stdio: ["ignore", "pipe", "inherit"],
    })
    const lines = createInterface({ input: dying.stdout })
    for await (const line of lines) if (line === "working") break
    // killed while the update is being handled: PostgreSQL rolls its transaction back and drops the
    // chat's lock and the replica's lock with its connections
    dying.kill("SIGKILL")
    await once(dying, "exit")
    await until(
      async () =>
        (await sql`select handled_by from updates where update_id = 1`)[0]?.handled_by === "survivor",
    )
    const [row] = await sql`select attempts, handled_by from updates where update_id = 1`
    assert.equal(row?.attempts, 2)
    assert.deepEqual(
      (await sql`select replica from effects`).map((effect) => effect.replica),
      ["survivor"],
      "the first handling's changes were rolled back",
    )
    void b
  })

  it("gives up an update that keeps failing its handling: past five attempts it is marked handled, not run", async () => {
    const { url, sql } = await database()
    // an update a dead replica left after five handlings that never finished
    await sql`insert into updates (update_id, chat_key, payload, received_by, received_at, attempts)
      values (9, '7', ${sql.json({ update_id: 9, chat: 7 })}, 'gone', now() - interval '1 minute', 5)`
    const handled: Array<string> = []
    await replica(url, "heir", handled)
    await until(
      async () => (await sql`select handled_at from updates where update_id = 9`)[0]?.handled_at != null,
    )
    assert.deepEqual(handled, [], "its work did not run again")
    const [row] = await sql`select attempts from updates where update_id = 9`
    assert.equal(row?.attempts, 6)
  })
})
