import { createHash } from "node:crypto"
import type { StudentSummary } from "../../application/ports/student-directory.ts"
import { GRADES, type Grade, MAJORS, type Major } from "../../domain/school.ts"
import type { UserId } from "../../domain/student.ts"
import type { WrittenFile } from "./atomic-write.ts"
import { makeIdSlots } from "./id-slots.ts"

/** A student's summary, and the file's mtime and size when it was read: how a scan tells a change. */
export type IndexEntry = WrittenFile & { readonly summary: StudentSummary }

const SNAPSHOT_MAGIC = "student-index/2"

/**
 * What admin scans need of every student, kept in memory in columns (36 bytes a student, grown by
 * doubling, plus the id → slot table: 100 000 students take ~4.7 MB of columns and 1 MB of table) so that
 * counting and statistics never read the student files. Kept
 * current by every save; saved to disk as a binary snapshot so that a restart need not read 100 000
 * files again.
 */
export const makeStudentIndex = () => {
  let capacity = 1024
  let length = 0
  let ids = new Float64Array(capacity)
  let registered = new Float64Array(capacity)
  let mtimes = new Float64Array(capacity)
  let sizes = new Float64Array(capacity)
  let grades = new Uint8Array(capacity)
  let majors = new Uint8Array(capacity)
  let provinces = new Uint16Array(capacity)
  const slots = makeIdSlots((slot) => ids[slot] as number)
  const provinceNames: Array<string> = []
  const provinceCodes = new Map<string, number>()
  let changed = false

  const grow = (needed: number) => {
    if (needed <= capacity) return
    while (capacity < needed) capacity *= 2
    const widen = <T extends Float64Array | Uint8Array | Uint16Array>(old: T, make: (n: number) => T): T => {
      const wider = make(capacity)
      wider.set(old)
      return wider
    }
    ids = widen(ids, (n) => new Float64Array(n))
    registered = widen(registered, (n) => new Float64Array(n))
    mtimes = widen(mtimes, (n) => new Float64Array(n))
    sizes = widen(sizes, (n) => new Float64Array(n))
    grades = widen(grades, (n) => new Uint8Array(n))
    majors = widen(majors, (n) => new Uint8Array(n))
    provinces = widen(provinces, (n) => new Uint16Array(n))
  }
  const provinceCode = (name: string): number => {
    let code = provinceCodes.get(name)
    if (code === undefined) {
      code = provinceNames.length
      provinceNames.push(name)
      provinceCodes.set(name, code)
    }
    return code
  }
  const summaryAt = (slot: number): StudentSummary => ({
    userId: ids[slot] as UserId,
    grade: GRADES[grades[slot] as number] as Grade,
    major: MAJORS[majors[slot] as number] as Major,
    province: provinceNames[provinces[slot] as number] as string,
    registrationDate: new Date(registered[slot] as number),
  })
  const copySlot = (from: number, to: number) => {
    ids[to] = ids[from] as number
    registered[to] = registered[from] as number
    mtimes[to] = mtimes[from] as number
    sizes[to] = sizes[from] as number
    grades[to] = grades[from] as number
    majors[to] = majors[from] as number
    provinces[to] = provinces[from] as number
  }

  return {
    get: (id: number): IndexEntry | undefined => {
      const slot = slots.get(id)
      return slot === undefined
        ? undefined
        : { summary: summaryAt(slot), mtimeMs: mtimes[slot] as number, size: sizes[slot] as number }
    },
    /** The file's mtime and size as last indexed (what the start-up scan compares). */
    fileOf: (id: number): WrittenFile | undefined => {
      const slot = slots.get(id)
      return slot === undefined ? undefined : { mtimeMs: mtimes[slot] as number, size: sizes[slot] as number }
    },
    /** Whether the student is indexed from a file with this mtime and size (no allocation: 100 000 calls at start). */
    matches: (id: number, mtimeMs: number, size: number): boolean => {
      const slot = slots.get(id)
      return slot !== undefined && mtimes[slot] === mtimeMs && sizes[slot] === size
    },
    set: (summary: StudentSummary, file: WrittenFile) => {
      let slot = slots.get(summary.userId)
      if (slot === undefined) {
        grow(length + 1)
        slot = length++
        ids[slot] = summary.userId
        slots.set(summary.userId, slot)
      }
      registered[slot] = summary.registrationDate.getTime()
      mtimes[slot] = file.mtimeMs
      sizes[slot] = file.size
      grades[slot] = GRADES.indexOf(summary.grade)
      majors[slot] = MAJORS.indexOf(summary.major)
      provinces[slot] = provinceCode(summary.province)
      changed = true
    },
    delete: (id: number) => {
      const slot = slots.get(id)
      if (slot === undefined) return
      slots.delete(id)
      // The last student moves into the freed slot: columns stay dense.
      const last = length - 1
      if (slot !== last) {
        copySlot(last, slot)
        slots.set(ids[slot] as number, slot)
      }
      length = last
      changed = true
    },
    count: (): number => length,
    /** Indexed students whose id is not in `listed` (their file went away while the bot was stopped). */
    idsNotIn: (listed: Iterable<number>): Array<number> => {
      const seen = new Uint8Array(length)
      for (const id of listed) {
        const slot = slots.get(id)
        if (slot !== undefined) seen[slot] = 1
      }
      const missing: Array<number> = []
      for (let slot = 0; slot < length; slot++) if (seen[slot] === 0) missing.push(ids[slot] as number)
      return missing
    },
    ids: (): Array<number> => Array.from(ids.subarray(0, length)),
    /** Built on each request and not kept: 100 000 summaries would hold ~10 MB for an occasional /stats. */
    summaries: (): ReadonlyArray<StudentSummary> => Array.from({ length }, (_, slot) => summaryAt(slot)),
    /** Whether anything changed since the last snapshot was taken. */
    changedSinceSnapshot: (): boolean => changed,
    /** The index as bytes: a JSON header line, then the columns. */
    snapshot: (): Buffer => {
      changed = false
      const columns = Buffer.concat([
        Buffer.from(ids.buffer, 0, length * 8),
        Buffer.from(registered.buffer, 0, length * 8),
        Buffer.from(mtimes.buffer, 0, length * 8),
        Buffer.from(sizes.buffer, 0, length * 8),
        Buffer.from(provinces.buffer, 0, length * 2),
        Buffer.from(grades.buffer, 0, length),
        Buffer.from(majors.buffer, 0, length),
      ])
      const header = {
        magic: SNAPSHOT_MAGIC,
        count: length,
        grades: GRADES,
        majors: MAJORS,
        provinces: provinceNames,
        sha1: createHash("sha1").update(columns).digest("hex"),
      }
      return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), columns])
    },
    /**
     * Loads a snapshot into an empty index; returns how many students it held. A snapshot that does
     * not check out (other format, other grades, damaged) is ignored: returns 0 and the scan reads all.
     */
    restore: (bytes: Buffer): number => {
      const newline = bytes.indexOf(10)
      if (newline < 0 || length > 0) return 0
      const header = JSON.parse(bytes.subarray(0, newline).toString("utf8")) as Record<string, unknown>
      const count = header.count
      const columns = bytes.subarray(newline + 1)
      const valid =
        header.magic === SNAPSHOT_MAGIC &&
        typeof count === "number" &&
        Number.isSafeInteger(count) &&
        columns.length === count * 36 &&
        JSON.stringify(header.grades) === JSON.stringify(GRADES) &&
        JSON.stringify(header.majors) === JSON.stringify(MAJORS) &&
        Array.isArray(header.provinces) &&
        header.provinces.every((name) => typeof name === "string") &&
        header.sha1 === createHash("sha1").update(columns).digest("hex")
      if (!valid) return 0
      grow(count)
      slots.reserve(count)
      // Copied out of the file's buffer: typed arrays need aligned offsets.
      const column = (index: number, width: number) =>
        new Uint8Array(columns.subarray(index, index + count * width)).buffer
      ids.set(new Float64Array(column(0, 8)))
      registered.set(new Float64Array(column(count * 8, 8)))
      mtimes.set(new Float64Array(column(count * 16, 8)))
      sizes.set(new Float64Array(column(count * 24, 8)))
      provinces.set(new Uint16Array(column(count * 32, 2)))
      grades.set(new Uint8Array(column(count * 34, 1)))
      majors.set(new Uint8Array(column(count * 35, 1)))
      for (const name of header.provinces as Array<string>) provinceCode(name)
      for (let slot = 0; slot < count; slot++) {
        const id = ids[slot] as number
        const sound =
          Number.isSafeInteger(id) &&
          id > 0 &&
          slots.get(id) === undefined &&
          (grades[slot] as number) < GRADES.length &&
          (majors[slot] as number) < MAJORS.length &&
          (provinces[slot] as number) < provinceNames.length
        if (!sound) {
          length = 0
          slots.clear()
          return 0
        }
        slots.set(id, slot)
      }
      length = count
      return count
    },
  }
}

export type StudentIndex = ReturnType<typeof makeStudentIndex>
