import { Effect, Layer } from "effect"
import { UpdateJournal } from "../../application/ports/update-journal.ts"

/** Handled update ids in a Map (id → when): for tests and the playground. */
export const makeMemoryUpdateJournal = (now: () => number = Date.now) => {
  const entries = new Map<number, number>()
  return {
    entries,
    service: UpdateJournal.of({
      has: (id) => Effect.sync(() => entries.has(id)),
      record: (id) => Effect.sync(() => void entries.set(id, now())),
      prune: (cutoff) =>
        Effect.sync(() => {
          let forgotten = 0
          for (const [id, at] of entries) {
            if (at < cutoff.getTime()) {
              entries.delete(id)
              forgotten++
            }
          }
          return forgotten
        }),
    }),
  }
}

export const MemoryUpdateJournal = Layer.sync(UpdateJournal, () => makeMemoryUpdateJournal().service)
