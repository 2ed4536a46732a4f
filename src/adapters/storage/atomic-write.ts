import { open, rename, unlink } from "node:fs/promises"
import { dirname, join } from "node:path"
import { randomId } from "../system/ids.ts"

/**
 * Replaces `path` with `content` so that a crash leaves either the old or the new file, never half
 * of one: temporary file in the same directory → write → fsync → rename → fsync the directory.
 */
export const writeFileAtomically = async (path: string, content: string, mode = 0o600): Promise<void> => {
  const temporary = join(dirname(path), `.${randomId(10)}.tmp`)
  const file = await open(temporary, "w", mode)
  try {
    await file.writeFile(content, "utf8")
    await file.sync()
  } finally {
    await file.close()
  }
  try {
    await rename(temporary, path)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    throw error
  }
  const directory = await open(dirname(path), "r")
  try {
    await directory.sync()
  } finally {
    await directory.close()
  }
}
