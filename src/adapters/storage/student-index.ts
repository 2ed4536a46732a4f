import type { StudentSummary } from "../../application/ports/student-directory.ts"
import { GRADES, type Grade, MAJORS, type Major } from "../../domain/school.ts"
import type { UserId } from "../../domain/student.ts"
import type { WrittenFile } from "./atomic-write.ts"

/** A student's summary, and the file's mtime and size when it was read: how a scan tells a change. */
export type IndexEntry = WrittenFile & { readonly summary: StudentSummary }

type SnapshotRow = [
  id: number,
  grade: string,
  major: string,
  province: string,
  registered: number,
  mtimeMs: number,
  size: number,
]

const SNAPSHOT_VERSION = 1

/**
 * What admin scans need of every student, in memory (about 200 bytes a student), so that counting
 * and statistics never read the student files. Kept current by every save, saved to disk as a
 * snapshot so that a restart does not have to read 100 000 files again.
 */
export const makeStudentIndex = () => {
  const entries = new Map<number, IndexEntry>()
  // grade, major and province repeat across students: one string each instead of 100 000 copies.
  const words = new Map<string, string>()
  const intern = (word: string): string => {
    const known = words.get(word)
    if (known !== undefined) return known
    words.set(word, word)
    return word
  }
  let summaries: ReadonlyArray<StudentSummary> | undefined
  let changed = false
  const touched = () => {
    summaries = undefined
    changed = true
  }

  return {
    get: (id: number): IndexEntry | undefined => entries.get(id),
    set: (summary: StudentSummary, file: WrittenFile) => {
      entries.set(summary.userId, {
        summary: { ...summary, province: intern(summary.province) },
        mtimeMs: file.mtimeMs,
        size: file.size,
      })
      touched()
    },
    delete: (id: number) => {
      if (entries.delete(id)) touched()
    },
    count: (): number => entries.size,
    ids: (): Array<number> => [...entries.keys()],
    summaries: (): ReadonlyArray<StudentSummary> => {
      summaries ??= Array.from(entries.values(), (entry) => entry.summary)
      return summaries
    },
    /** Whether anything changed since the last snapshot was taken. */
    changedSinceSnapshot: (): boolean => changed,
    snapshot: (): string => {
      changed = false
      const rows: Array<SnapshotRow> = Array.from(entries.values(), ({ summary, mtimeMs, size }) => [
        summary.userId,
        summary.grade,
        summary.major,
        summary.province,
        summary.registrationDate.getTime(),
        mtimeMs,
        size,
      ])
      return JSON.stringify({ version: SNAPSHOT_VERSION, students: rows })
    },
    /** Loads a snapshot; rows that do not look right are skipped (the scan reads those files). */
    restore: (text: string): number => {
      const parsed: unknown = JSON.parse(text)
      if (typeof parsed !== "object" || parsed === null) return 0
      const { version, students } = parsed as { version?: unknown; students?: unknown }
      if (version !== SNAPSHOT_VERSION || !Array.isArray(students)) return 0
      for (const row of students as Array<unknown>) {
        if (!Array.isArray(row) || row.length !== 7) continue
        const [id, grade, major, province, registered, mtimeMs, size] = row as SnapshotRow
        const valid =
          Number.isSafeInteger(id) &&
          id > 0 &&
          GRADES.includes(grade as Grade) &&
          MAJORS.includes(major as Major) &&
          typeof province === "string" &&
          Number.isFinite(registered) &&
          Number.isFinite(mtimeMs) &&
          Number.isFinite(size)
        if (!valid) continue
        entries.set(id, {
          summary: {
            userId: id as UserId,
            grade: intern(grade) as Grade,
            major: intern(major) as Major,
            province: intern(province),
            registrationDate: new Date(registered),
          },
          mtimeMs,
          size,
        })
      }
      summaries = undefined
      return entries.size
    },
  }
}

export type StudentIndex = ReturnType<typeof makeStudentIndex>
