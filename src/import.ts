import { existsSync } from "node:fs"
import { join } from "node:path"
import { ConfigProvider, Effect } from "effect"
import { describeImport, importFiles, importRecords } from "./adapters/import/import-files.ts"
import { DatabaseLive } from "./adapters/postgres/database.ts"
import { describeConfigError, ImportConfig } from "./config.ts"

// `npm run import -- USERS_DIR [RECORDS_DIR]`: copies a file deployment (this bot's or the older Python
// bot's files, and the record journals) into the PostgreSQL database at DATABASE_URL, migrating it first.
// Safe to run again. Without RECORDS_DIR, the records in USERS_DIR/records (the default place) are copied.
const [usersDir, givenRecordsDir] = process.argv.slice(2)
if (usersDir === undefined || usersDir.startsWith("-")) {
  process.stderr.write("Usage: DATABASE_URL=postgres://… npm run import -- USERS_DIR [RECORDS_DIR]\n")
  process.exit(2)
}

const inUsersDir = join(usersDir, "records")
const recordsDir = givenRecordsDir ?? (existsSync(inUsersDir) ? inUsersDir : undefined)

const config = Effect.runSync(
  ImportConfig.pipe(Effect.withConfigProvider(ConfigProvider.fromEnv()), Effect.either),
)
if (config._tag === "Left") {
  process.stderr.write(`Configuration error:\n${describeConfigError(config.left)}\n`)
  process.exit(2)
}

const program = Effect.all({
  files: importFiles(usersDir),
  records: recordsDir === undefined ? Effect.succeed(undefined) : importRecords(recordsDir),
}).pipe(
  Effect.map(({ files, records }) => (records === undefined ? files : { ...files, records })),
  Effect.provide(DatabaseLive(config.right)),
  Effect.match({
    onFailure: (error) => {
      process.stderr.write(`Import failed (${error.operation}): ${error.detail}\n`)
      return 1
    },
    onSuccess: (report) => {
      const from = recordsDir === undefined ? usersDir : `${usersDir} and ${recordsDir}`
      process.stdout.write(`Imported ${from} into PostgreSQL:\n${describeImport(report)}\n`)
      return 0
    },
  }),
)

process.exitCode = await Effect.runPromise(program)
