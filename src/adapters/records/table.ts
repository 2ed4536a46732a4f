import { Effect } from "effect"
import type { StorageError } from "../../application/ports/storage-error.ts"
import { attempt } from "../../application/ports/storage-error.ts"
import { makePermits } from "../system/permits.ts"

/** A change to one row: the new value, or undefined to delete it. */
export type Change<V> = readonly [key: string, value: V | undefined]

/** Makes changes durable before they count (a journal on disk); nothing for memory tables. */
export type Persist<V> = (changes: ReadonlyArray<Change<V>>) => Promise<void>

export type Plan<V, A> = { readonly result: A; readonly changes?: ReadonlyArray<Change<V>> }

/**
 * Rows in memory, changed one transaction at a time: a plan is computed from the rows as they are,
 * persisted, and only then applied. Serialising the transactions is what makes check-then-write
 * operations (capacity, first decision wins, a receipt image taken once) atomic in one process.
 */
export const makeTable = <V>(initial: Iterable<readonly [string, V]> = [], persist?: Persist<V>) => {
  const rows = new Map<string, V>(initial)
  // one change at a time, first come first served (a thousand students enrolling at once wait in line)
  const lock = makePermits(1)
  const transact = <A>(plan: (rows: ReadonlyMap<string, V>) => Plan<V, A>): Effect.Effect<A, StorageError> =>
    lock.withPermit(
      Effect.gen(function* () {
        const { result, changes = [] } = plan(rows)
        if (changes.length > 0 && persist !== undefined) {
          yield* attempt("write record", () => persist(changes))
        }
        for (const [key, value] of changes) {
          if (value === undefined) rows.delete(key)
          else rows.set(key, value)
        }
        return result
      }),
    )
  return {
    get: (key: string): Effect.Effect<V | undefined> => Effect.sync(() => rows.get(key)),
    values: Effect.sync((): ReadonlyArray<V> => [...rows.values()]),
    transact,
    /** Reads without waiting for writers: a committed state, never a half-applied one. */
    rows: rows as ReadonlyMap<string, V>,
  }
}

export type Table<V> = ReturnType<typeof makeTable<V>>
