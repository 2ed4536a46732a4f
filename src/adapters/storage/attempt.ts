import { Effect } from "effect"
import { StorageError } from "../../application/ports/student-repository.ts"

/** A failure of a file or database call as the ports' StorageError: what was tried, and the message. */
const storageFailure =
  (operation: string) =>
  (error: unknown): StorageError =>
    new StorageError({ operation, detail: error instanceof Error ? error.message : String(error) })

/**
 * A call that returns a promise, as an Effect failing with StorageError. `run` gets an abort signal only
 * when it asks for one (Effect makes an AbortController only for a function that takes a parameter).
 */
export const attempt = <A>(
  operation: string,
  run: (signal: AbortSignal) => Promise<A>,
): Effect.Effect<A, StorageError> => Effect.tryPromise({ try: run, catch: storageFailure(operation) })
