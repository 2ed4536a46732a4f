import { existsSync, readdirSync } from "node:fs"
import { join, resolve } from "node:path"
import { Option } from "effect"

/** Where one bot's files go: everything under USERS_DIR unless RECORDS_DIR or LOG_DIR says otherwise. */
export type DataLayout = {
  readonly usersDir: string
  readonly recordsDir: string
  readonly logDir: string
  /** What the operator should read at start (an old layout found), logged as warnings. */
  readonly warnings: ReadonlyArray<string>
}

/** Before USERS_DIR held everything, records defaulted to `records` in the working directory. */
export const LEGACY_RECORDS_DIR = "records"

const holdsRecords = (path: string): boolean => {
  try {
    return readdirSync(path).some((name) => name.endsWith(".jsonl"))
  } catch {
    return false
  }
}

/**
 * The data directories of one bot. USERS_DIR stays what the older Python version made of it (the
 * `user_<id>.json` files directly in it); records go to USERS_DIR/records and logs to USERS_DIR/logs,
 * so that a backup of USERS_DIR is the whole bot and two bots with two USERS_DIR never share a file.
 *
 * A deployment whose records are still in the old default place (./records) keeps them: they are used
 * where they are, with a warning that says how to move them. Nothing is moved automatically — with two
 * bots in one working directory, the wrong one could take the other's records.
 */
export const resolveDataLayout = (
  settings: {
    readonly usersDir: string
    readonly recordsDir: Option.Option<string>
    readonly logDir: Option.Option<string>
  },
  cwd: string = process.cwd(),
): DataLayout => {
  const usersDir = settings.usersDir
  const logDir = Option.getOrElse(settings.logDir, () => join(usersDir, "logs"))
  if (Option.isSome(settings.recordsDir))
    return { usersDir, recordsDir: settings.recordsDir.value, logDir, warnings: [] }

  const recordsDir = join(usersDir, "records")
  const legacy = resolve(cwd, LEGACY_RECORDS_DIR)
  if (legacy === resolve(cwd, recordsDir) || !holdsRecords(legacy)) {
    return { usersDir, recordsDir, logDir, warnings: [] }
  }
  if (!existsSync(resolve(cwd, recordsDir))) {
    return {
      usersDir,
      recordsDir: legacy,
      logDir,
      warnings: [
        `records found in the old default place ${legacy}: still using them there. ` +
          `Records now belong in USERS_DIR (${resolve(cwd, recordsDir)}); to move them, stop the bot and run ` +
          `mv ${legacy} ${resolve(cwd, recordsDir)} — or set RECORDS_DIR=${legacy} to keep them where they are.`,
      ],
    }
  }
  return {
    usersDir,
    recordsDir,
    logDir,
    warnings: [
      `${legacy} holds records but is not read: this bot's records are in ${resolve(cwd, recordsDir)} ` +
        `(set RECORDS_DIR=${legacy} if those are the ones this bot should use).`,
    ],
  }
}
