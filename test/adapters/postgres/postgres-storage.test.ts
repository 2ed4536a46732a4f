import assert from "node:assert/strict"
import { after, describe, it } from "node:test"
import { Effect, Option, Redacted, Schema } from "effect"
import { connect, Database, type Sql } from "../../../src/adapters/postgres/database.ts"
import { loadMigrations, migrate } from "../../../src/adapters/postgres/migrations.ts"
import {
  makePostgresDraftStore,
  removeStaleDrafts,
} from "../../../src/adapters/postgres/postgres-draft-store.ts"
import { makePostgresStudentStorage } from "../../../src/adapters/postgres/postgres-student-repository.ts"
import { RegistrationDraft } from "../../../src/domain/registration-draft.ts"
import { UserId } from "../../../src/domain/student.ts"
import { freshDatabase } from "../../support/postgres-server.ts"
import {
  draftStoreContract,
  studentDirectoryContract,
  studentRepositoryContract,
} from "../../support/storage-contracts.ts"

const STARTED = { mode: "register", step: "first_name", revision: 1, page: 0, revisiting: false, answers: {} }

const pools: Array<Sql> = []
after(() => Promise.all(pools.map((sql) => sql.end({ timeout: 1 }))))

/** A migrated, empty database and a pool on it. */
const migratedDatabase = async () => {
  const sql = connect({ url: Redacted.make(await freshDatabase()), poolSize: 5 })
  pools.push(sql)
  await migrate(sql)
  return sql
}

const storage = async () => {
  const sql = await migratedDatabase()
  return Effect.runPromise(
    Effect.all({ students: makePostgresStudentStorage, drafts: makePostgresDraftStore }).pipe(
      Effect.provideService(Database, { sql }),
    ),
  )
}

studentRepositoryContract("PostgreSQL", async () => (await storage()).students.repository)
studentDirectoryContract(
  "PostgreSQL",
  async () => {
    const { students } = await storage()
    return { students: students.repository, directory: students.directory }
  },
  1_050,
)
draftStoreContract("PostgreSQL", async () => (await storage()).drafts)

describe("PostgreSQL drafts cleanup", () => {
  it("removes drafts untouched for longer than the limit, and only those", async () => {
    const sql = await migratedDatabase()
    const drafts = await Effect.runPromise(
      makePostgresDraftStore.pipe(Effect.provideService(Database, { sql })),
    )
    const conversation = { draft: Schema.decodeUnknownSync(RegistrationDraft)(STARTED) }
    await Effect.runPromise(drafts.put(UserId.make(1), conversation))
    await Effect.runPromise(drafts.put(UserId.make(2), conversation))
    await sql`update drafts set updated_at = now() - interval '8 days' where user_id = 1`
    const removed = await Effect.runPromise(
      removeStaleDrafts(7).pipe(Effect.provideService(Database, { sql })),
    )
    assert.equal(removed, 1)
    assert.ok(
      Option.isNone(
        await Effect.runPromise(Effect.map(drafts.get(UserId.make(1)), (state) => state.conversation)),
      ),
    )
    assert.ok(
      Option.isSome(
        await Effect.runPromise(Effect.map(drafts.get(UserId.make(2)), (state) => state.conversation)),
      ),
    )
  })
})

describe("PostgreSQL migrations", () => {
  it("apply once, even when several replicas start at the same moment", async () => {
    const url = Redacted.make(await freshDatabase())
    const replicas = Array.from({ length: 4 }, () => connect({ url, poolSize: 2 }))
    pools.push(...replicas)
    const applied = await Promise.all(replicas.map((sql) => migrate(sql)))
    const all = (await loadMigrations()).map((migration) => migration.name)
    assert.deepEqual(applied.flat().sort(), all, "each migration applied by exactly one replica")
    const [sql] = replicas
    assert.ok(sql)
    const rows = await sql`select version, name from schema_migrations order by version`
    assert.deepEqual(
      rows.map((row) => row.name),
      all,
    )
    assert.deepEqual(await migrate(sql), [], "a restart applies nothing")
  })

  it("apply a later migration to a database that has the earlier ones", async () => {
    const sql = await migratedDatabase()
    const later = [
      ...(await loadMigrations()),
      { version: 9999, name: "9999_test_column", sql: "alter table students add column nickname text;" },
    ]
    assert.deepEqual(await migrate(sql, later), ["9999_test_column"])
    const columns =
      await sql`select column_name from information_schema.columns where table_name = 'students'`
    assert.ok(columns.some((column) => column.column_name === "nickname"))
  })

  it("roll back a migration that fails, leaving no trace of it", async () => {
    const sql = await migratedDatabase()
    const broken = [
      ...(await loadMigrations()),
      { version: 9998, name: "9998_broken", sql: "create table half (id int); select * from no_such_table;" },
    ]
    await assert.rejects(migrate(sql, broken), /no_such_table/)
    const tables = await sql`select table_name from information_schema.tables where table_name = 'half'`
    assert.equal(tables.length, 0)
    const versions = await sql`select version from schema_migrations where version = 9998`
    assert.equal(versions.length, 0)
  })
})
