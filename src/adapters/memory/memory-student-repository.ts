import { Effect, Layer, Option, Stream } from "effect"
import { StudentDirectory, summaryOf } from "../../application/ports/student-directory.ts"
import { StudentRepository } from "../../application/ports/student-repository.ts"
import type { Student, UserId } from "../../domain/student.ts"

/** Students in a Map: for tests and for developers who swap adapters. */
export const makeMemoryStudentRepository = (initial: Iterable<Student> = []) => {
  const students = new Map<UserId, Student>(Array.from(initial, (student) => [student.userId, student]))
  return {
    students,
    service: StudentRepository.of({
      find: (id) => Effect.sync(() => Option.fromNullable(students.get(id))),
      save: (student) => Effect.sync(() => void students.set(student.userId, student)),
    }),
  }
}

/** StudentDirectory over the same Map: scans, counts and summaries without any index. */
export const memoryStudentDirectory = (students: ReadonlyMap<UserId, Student>) =>
  StudentDirectory.of({
    count: Effect.sync(() => students.size),
    summaries: Effect.sync(() => [...students.values()].map(summaryOf)),
    students: Stream.suspend(() =>
      Stream.fromIterable([...students.values()].sort((a, b) => a.userId - b.userId)),
    ),
  })

export const MemoryStudentRepository = Layer.sync(
  StudentRepository,
  () => makeMemoryStudentRepository().service,
)
