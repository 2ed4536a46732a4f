import { Context, type Effect, type Option, Schema } from "effect"
import type { Student, UserId } from "../../domain/student.ts"

export class StorageError extends Schema.TaggedError<StorageError>()("StorageError", {
  operation: Schema.String,
  detail: Schema.String,
}) {}

/** Where registered students live. */
export class StudentRepository extends Context.Tag("StudentRepository")<
  StudentRepository,
  {
    readonly find: (id: UserId) => Effect.Effect<Option.Option<Student>, StorageError>
    /** Resolves only once the student is stored for good. */
    readonly save: (student: Student) => Effect.Effect<void, StorageError>
  }
>() {}
