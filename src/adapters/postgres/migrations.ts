import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import type postgres from "postgres"

const DIRECTORY = join(import.meta.dirname, "migrations")

/** Any fixed number: the advisory lock that lets one replica at a time look at and apply migrations. */
export const MIGRATION_LOCK = 7_304_202_601

export type Migration = { readonly version: number; readonly name: string; readonly sql: string }

/** migrations/NNNN_name.sql, in version order. A released migration is never edited: add the next one. */
export const loadMigrations = async (directory = DIRECTORY): Promise<ReadonlyArray<Migration>> => {
  const files = (await readdir(directory)).filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file)).sort()
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 4)),
      name: file.replace(/\.sql$/, ""),
      sql: await readFile(join(directory, file), "utf8"),
    })),
  )
}

/**
 * Applies the migrations this database lacks, in one transaction under an advisory lock: replicas that
 * start together wait for the first one and then find nothing left to do. Returns the names applied.
 */
export const migrate = async (
  sql: postgres.Sql,
  migrations?: ReadonlyArray<Migration>,
): Promise<ReadonlyArray<string>> => {
  const all = migrations ?? (await loadMigrations())
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`
    await tx`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`
    const done = new Set((await tx`select version from schema_migrations`).map((row) => Number(row.version)))
    const applied: Array<string> = []
    for (const migration of all) {
      if (done.has(migration.version)) continue
      await tx.unsafe(migration.sql).simple()
      await tx`insert into schema_migrations (version, name) values (${migration.version}, ${migration.name})`
      applied.push(migration.name)
    }
    return applied
  })
}
