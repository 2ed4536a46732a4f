import assert from "node:assert/strict"
import { after, describe, it } from "node:test"
import { Redacted } from "effect"
import { connect, type Sql, trafficOf, unixSocketOf } from "../../../src/adapters/postgres/database.ts"
import { freePort } from "../../support/free-port.ts"
import { freshDatabase, overUnixSocket } from "../../support/postgres-server.ts"

const pools: Array<Sql> = []
after(() => Promise.all(pools.map((sql) => sql.end({ timeout: 1 }))))

describe("the PostgreSQL pool", () => {
  it("reads libpq's ?host=/directory as the server's Unix socket, and leaves other URLs as they are", () => {
    assert.deepEqual(unixSocketOf("postgres://bot@localhost/students?host=/var/run/postgresql"), {
      url: "postgres://bot@localhost/students",
      socketPath: "/var/run/postgresql/.s.PGSQL.5432",
    })
    assert.deepEqual(unixSocketOf("postgres://bot@localhost:6543/students?host=/run/pg&sslmode=disable"), {
      url: "postgres://bot@localhost:6543/students?sslmode=disable",
      socketPath: "/run/pg/.s.PGSQL.6543",
    })
    for (const url of [
      "postgres://bot:pw@db.internal:5432/students",
      "postgres://bot@h/db?host=db2",
      "not a url",
    ])
      assert.deepEqual(unixSocketOf(url), { url })
  })

  it("counts the statements and transactions it sends, over TCP and through the Unix socket", async () => {
    const tcp = await freshDatabase()
    const socket = overUnixSocket(tcp)
    assert.ok(socket !== undefined, "the test server's socket")
    for (const url of [tcp, socket]) {
      const sql = connect({ url: Redacted.make(url), poolSize: 2 })
      pools.push(sql)
      await sql`select 1`
      const before = { ...trafficOf(sql) }
      await sql`select ${2}::int as two`
      await sql.begin(async (tx) => {
        await tx`select ${3}::int as three`
        await tx`select 4 as four`
      })
      const [row] = await sql`select inet_server_addr() is null as local`
      const after = trafficOf(sql)
      // one statement, then begin + two + commit, then the last one
      assert.deepEqual(
        {
          statements: after.statements - before.statements,
          transactions: after.transactions - before.transactions,
        },
        { statements: 6, transactions: 1 },
        url,
      )
      assert.equal(row?.local, url === socket, "a Unix socket has no server address")
    }
  })

  it("tries the hosts of a multi-host URL in turn, as postgres.js does with a socket of its own", async () => {
    const url = new URL(await freshDatabase())
    const refused = await freePort()
    // the first host refuses (nothing listens there), the second is the server
    const both = url
      .toString()
      .replace(`${url.hostname}:${url.port}`, `127.0.0.1:${refused},${url.hostname}:${url.port}`)
    const sql = connect({ url: Redacted.make(both), poolSize: 1 })
    pools.push(sql)
    const [row] = await sql`select 1 as one`
    assert.equal(row?.one, 1)
  })
})
