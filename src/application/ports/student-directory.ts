import { Context, type Effect, type Stream } from "effect"
import type { Grade, Major } from "../../domain/school.ts"
import type { Student, UserId } from "../../domain/student.ts"
import type { StorageError } from "./storage-error.ts"

/** What admin statistics need of a student, small enough to keep for 100 000 students. */
export type StudentSummary = {
  readonly userId: UserId
  readonly grade: Grade
  readonly major: Major
  readonly province: string
  readonly registrationDate: Date
}

/** Admin scans over all students: counted and summarised from an index, exported one by one. */
export class StudentDirectory extends Context.Tag("StudentDirectory")<
  StudentDirectory,
  {
    readonly count: Effect.Effect<number, StorageError>
    /** From the index: no student file is read. */
    readonly summaries: Effect.Effect<ReadonlyArray<StudentSummary>, StorageError>
    /** Every student, read one at a time (for exports and broadcasts), in user id order. */
    readonly students: Stream.Stream<Student, StorageError>
  }
>() {}

export const summaryOf = (student: Student): StudentSummary => ({
  userId: student.userId,
  grade: student.profile.grade,
  major: student.profile.major,
  province: student.profile.province,
  registrationDate: student.registrationDate,
})
