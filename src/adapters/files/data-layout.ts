import { accessSync, constants, existsSync, readdirSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
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

const CAUSES: Record<string, string> = {
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOSPC: "no space left on the device",
}

/** The closest directory of `path` that exists: where it would be created. */
const nearestExisting = (path: string): string => {
  let at = resolve(path)
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at)
  return at
}

/**
 * One sentence per data directory this process cannot write, naming its variable, its path and the cause
 * (`USERS_DIR /data/users is not writable (read-only file system)`), so that the bot can refuse to start
 * with it instead of a raw error from deep in the storage.
 */
export const unwritableDirectories = (
  directories: ReadonlyArray<readonly [variable: string, path: string]>,
): ReadonlyArray<string> => {
  const reported: Array<string> = []
  return directories.flatMap(([variable, path]) => {
    const full = resolve(path)
    // RECORDS_DIR inside a USERS_DIR already named: one sentence says it.
    if (reported.some((outer) => full === outer || full.startsWith(`${outer}/`))) return []
    const at = nearestExisting(full)
    try {
      accessSync(at, constants.W_OK)
      return []
    } catch (error) {
      reported.push(full)
      const code = (error as NodeJS.ErrnoException).code ?? "unknown error"
      const where = at === full ? "" : `: it would be created in ${at}`
      return [`${variable} ${full} is not writable (${CAUSES[code] ?? code}${where})`]
    }
  })
}
