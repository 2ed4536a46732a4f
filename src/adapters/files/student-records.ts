import { closeSync, fstatSync, openSync, readFileSync } from "node:fs"
import { open } from "node:fs/promises"
import { join } from "node:path"
import type { Student } from "../../domain/student.ts"
import { decodeStudentFile } from "../common/student-file.ts"
import type { WrittenFile } from "./atomic-write.ts"

/** Where a student's record is: `USERS_DIR/user_<id>.json`, as the older Python bot wrote it. */
export const studentPath = (directory: string, id: number): string => join(directory, `user_${id}.json`)

/** The id in `user_<id>.json`, or undefined for any other name. */
export const studentIdOf = (name: string): number | undefined => {
  if (!name.startsWith("user_") || !name.endsWith(".json")) return undefined
  const digits = name.slice(5, -5)
  const id = Number(digits)
  return /^[1-9]\d*$/.test(digits) && Number.isSafeInteger(id) ? id : undefined
}
/** The index snapshot, beside the student files (hidden: the Python version never saw it). */
export const INDEX_SNAPSHOT = ".student-index"

export type StoredRecord =
  | { readonly _tag: "Missing" }
  | {
      readonly _tag: "Found"
      readonly student: Student
      readonly raw: Readonly<Record<string, unknown>>
      readonly file: WrittenFile
    }
  | { readonly _tag: "Damaged"; readonly detail: string }

export const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT"

/** Checks a file's text: one that does not parse or fails the schema is Damaged. */
export const interpret = (id: number, text: string, file: WrittenFile): StoredRecord => {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    return { _tag: "Damaged", detail: `not JSON: ${(error as Error).message}` }
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return { _tag: "Damaged", detail: "not a JSON object" }
  const decoded = decodeStudentFile(raw)
  if (decoded._tag === "Left") return { _tag: "Damaged", detail: decoded.left }
  if (decoded.right.userId !== id)
    return { _tag: "Damaged", detail: `user_id ${decoded.right.userId} in the file` }
  return { _tag: "Found", student: decoded.right, raw: raw as Readonly<Record<string, unknown>>, file }
}

/** Reads and checks `user_<id>.json`. */
export const readRecord = async (directory: string, id: number): Promise<StoredRecord> => {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(studentPath(directory, id), "r")
  } catch (error) {
    if (isMissing(error)) return { _tag: "Missing" }
    throw error
  }
  try {
    const stats = await handle.stat()
    const text = await handle.readFile("utf8")
    return interpret(id, text, { mtimeMs: stats.mtimeMs, size: stats.size })
  } finally {
    await handle.close()
  }
}

/**
 * The same, blocking: for the start-up scan, in small batches. Reading and indexing in one tick means
 * a save cannot slip in between, so the scan needs no lock; and nothing outlives the batch.
 */
export const readRecordSync = (directory: string, id: number): StoredRecord => {
  let descriptor: number
  try {
    descriptor = openSync(studentPath(directory, id), "r")
  } catch (error) {
    if (isMissing(error)) return { _tag: "Missing" }
    throw error
  }
  try {
    const stats = fstatSync(descriptor)
    return interpret(id, readFileSync(descriptor, "utf8"), { mtimeMs: stats.mtimeMs, size: stats.size })
  } finally {
    closeSync(descriptor)
  }
}
