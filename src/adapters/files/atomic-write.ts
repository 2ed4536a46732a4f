import { chmod, mkdir, open, readdir, rename, unlink } from "node:fs/promises"
import { basename, dirname, join } from "node:path"
import { randomId } from "../system/ids.ts"

/** What a durable write leaves on disk, so an index can later tell whether the file changed. */
export type WrittenFile = { readonly mtimeMs: number; readonly size: number }

/** Temporary files are hidden and end in `.tmp`: `.user_42.json.K7QX2M9A.tmp`. */
const TEMPORARY = /^\..*\.tmp$/
/**
 * Every temporary file of this process carries this token, so that a cleanup running while the
 * process writes can tell a crash's leftovers from files being written right now.
 */
const SESSION = randomId(6)

/** Makes `path` a directory only its owner can enter (0700), creating it when missing. */
export const ensurePrivateDirectory = async (path: string): Promise<void> => {
  await mkdir(path, { recursive: true, mode: 0o700 })
  await chmod(path, 0o700)
}

const fsyncDirectory = async (path: string): Promise<void> => {
  const directory = await open(path, "r")
  try {
    await directory.sync()
  } finally {
    await directory.close()
  }
}

type DirectorySyncs = { running: boolean; queued: PromiseWithResolvers<void> | undefined }
const directorySyncs = new Map<string, DirectorySyncs>()

const startSync = (path: string, syncs: DirectorySyncs) => {
  const batch = syncs.queued
  if (batch === undefined) {
    directorySyncs.delete(path)
    return
  }
  syncs.queued = undefined
  syncs.running = true
  fsyncDirectory(path)
    .then(batch.resolve, batch.reject)
    .finally(() => {
      syncs.running = false
      startSync(path, syncs)
    })
}

/**
 * fsync of a directory: makes a rename or unlink in it survive a power cut. Group commit: callers
 * that arrive while one fsync of the directory runs share the next one, which starts when it ends
 * (so it covers every change they made before calling); each resolves only once that fsync is done.
 */
export const syncDirectory = (path: string): Promise<void> => {
  let syncs = directorySyncs.get(path)
  if (syncs === undefined) {
    syncs = { running: false, queued: undefined }
    directorySyncs.set(path, syncs)
  }
  syncs.queued ??= Promise.withResolvers<void>()
  const { promise } = syncs.queued
  if (!syncs.running) startSync(path, syncs)
  return promise
}

/**
 * Replaces `path` with `content` so that a crash leaves either the old or the new file, never half
 * of one: temporary file in the same directory → write → fsync → rename → fsync the directory.
 * Resolves only when the new content is durable.
 */
export const writeFileAtomically = async (
  path: string,
  content: string | Uint8Array,
  mode = 0o600,
): Promise<WrittenFile> => {
  const temporary = join(dirname(path), `.${basename(path)}.${SESSION}${randomId(6)}.tmp`)
  let written: WrittenFile
  try {
    const file = await open(temporary, "wx", mode)
    try {
      await file.writeFile(content)
      await file.sync()
      const stats = await file.stat()
      written = { mtimeMs: stats.mtimeMs, size: stats.size }
    } finally {
      await file.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    throw error
  }
  await syncDirectory(dirname(path))
  return written
}

/** The JSON layout every stored record shares: UTF-8, two-space indentation, a final newline. */
export const writeJsonAtomically = (path: string, value: unknown): Promise<WrittenFile> =>
  writeFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`)

/**
 * Removes temporary files a crash left in `directory` — never those this process is writing, so it
 * may run while saves go on. `names` may pass a listing already made. Returns how many were removed.
 */
export const removeLeftoverTemporaries = async (
  directory: string,
  names?: ReadonlyArray<string>,
): Promise<number> => {
  const leftovers = (names ?? (await readdir(directory))).filter(
    (name) => TEMPORARY.test(name) && !name.includes(`.${SESSION}`),
  )
  for (const name of leftovers) await unlink(join(directory, name)).catch(() => undefined)
  if (leftovers.length > 0) await syncDirectory(directory)
  return leftovers.length
}
