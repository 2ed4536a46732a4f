import { ConfigProvider, Effect } from "effect"
import { DatabaseLive } from "./adapters/postgres/database.ts"
import { describeImport, importFiles } from "./adapters/postgres/import-files.ts"
import { describeConfigError, ImportConfig } from "./config.ts"

// `npm run import -- USERS_DIR`: copies a file deployment (this bot's or the older Python bot's files)
// into the PostgreSQL database at DATABASE_URL, migrating it first. Safe to run again.
const usersDir = process.argv[2]
if (usersDir === undefined || usersDir.startsWith("-")) {
  process.stderr.write("Usage: DATABASE_URL=postgres://… npm run import -- USERS_DIR\n")
  process.exit(2)
}

const config = Effect.runSync(
  ImportConfig.pipe(Effect.withConfigProvider(ConfigProvider.fromEnv()), Effect.either),
)
if (config._tag === "Left") {
  process.stderr.write(`Configuration error:\n${describeConfigError(config.left)}\n`)
  process.exit(2)
}

const program = importFiles(usersDir).pipe(
  Effect.provide(DatabaseLive(config.right)),
  Effect.match({
    onFailure: (error) => {
      process.stderr.write(`Import failed (${error.operation}): ${error.detail}\n`)
      return 1
    },
    onSuccess: (report) => {
      process.stdout.write(`Imported ${usersDir} into PostgreSQL:\n${describeImport(report)}\n`)
      return 0
    },
  }),
)

process.exitCode = await Effect.runPromise(program)
