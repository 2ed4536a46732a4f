import { Effect } from "effect"
import { StorageError } from "../../application/ports/student-repository.ts"

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
