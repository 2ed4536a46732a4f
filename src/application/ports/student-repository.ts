import { Context, type Effect, type Option, Schema } from "effect"
import type { Student, UserId } from "../../domain/student.ts"
import type { StorageError } from "./storage-error.ts"

/**
 * A student's stored record could not be read (damaged, or not what a record must be). The store has
 * set it aside under `errorId` and forgotten it: the student is asked to register again.
 */
export class StudentRecordDamaged extends Schema.TaggedError<StudentRecordDamaged>()("StudentRecordDamaged", {
  userId: Schema.Number,
  errorId: Schema.String,
}) {}

/** Where registered students live. */
export class StudentRepository extends Context.Tag("StudentRepository")<
  StudentRepository,
  {
    readonly find: (id: UserId) => Effect.Effect<Option.Option<Student>, StorageError | StudentRecordDamaged>
    /** Resolves only once the student is stored for good. */
    readonly save: (student: Student) => Effect.Effect<void, StorageError>
  }
>() {}
