import { Context, type Effect, type Option, Schema } from "effect"
import type { Student, UserId } from "../../domain/student.ts"

export class StorageError extends Schema.TaggedError<StorageError>()("StorageError", {
  operation: Schema.String,
  detail: Schema.String,
  /** The system's code for the failure when it gave one: ENOSPC, EROFS… (PostgreSQL: its SQLSTATE). */
  code: Schema.optionalWith(Schema.String, { exact: true }),
}) {}

/**
 * Why storage refused a write, when the storage itself refused it: it is full (ENOSPC, a quota, or
 * PostgreSQL's disk_full), or cannot be written at all (read-only, permissions, an I/O error). Such a
 * failure lasts until an operator acts; any other is one write's bad luck.
 */
export const writeRefusal = (error: StorageError): "full" | "unwritable" | undefined => {
  switch (error.code) {
    case "ENOSPC":
    case "EDQUOT":
    case "53100":
      return "full"
    case "EROFS":
    case "EACCES":
    case "EPERM":
    case "EIO":
      return "unwritable"
    default:
      return undefined
  }
}

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
