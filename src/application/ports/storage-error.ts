import { Effect, Schema } from "effect"

/** A store could not do what it was asked: the operation tried, the system's message, and its code. */
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

/** A failure of a file or database call as the ports' StorageError: what was tried, and the message. */
export const storageFailure =
  (operation: string) =>
  (error: unknown): StorageError => {
    const detail = error instanceof Error ? error.message : String(error)
    const code = (error as { code?: unknown } | null)?.code
    return typeof code === "string"
      ? new StorageError({ operation, detail, code })
      : new StorageError({ operation, detail })
  }

/**
 * A call that returns a promise, as an Effect failing with StorageError. `run` gets an abort signal only
 * when it asks for one (Effect makes an AbortController only for a function that takes a parameter).
 */
export const attempt = <A>(
  operation: string,
  run: (signal: AbortSignal) => Promise<A>,
): Effect.Effect<A, StorageError> => Effect.tryPromise({ try: run, catch: storageFailure(operation) })
