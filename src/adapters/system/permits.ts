import { Effect } from "effect"

/**
 * At most `count` effects at once, the others waiting their turn first come first served. Effect's own
 * Semaphore wakes every waiter at each release (each then looks again, and all but one wait again): with a
 * thousand chats waiting that is quadratic work, measured as the PostgreSQL inbox's CPU per update growing
 * with the load. Here a release hands its permit to the oldest waiter, and to it alone.
 */
export const makePermits = (count: number) => {
  let free = count
  const waiting: Array<() => void> = []
  const take = Effect.async<void>((resume) => {
    if (free > 0) {
      free--
      resume(Effect.void)
      return
    }
    const turn = () => resume(Effect.void)
    waiting.push(turn)
    // interrupted while waiting: leave the line (a permit already handed over is not, the fiber resumed)
    return Effect.sync(() => {
      const at = waiting.indexOf(turn)
      if (at >= 0) waiting.splice(at, 1)
    })
  })
  const give = Effect.sync(() => {
    const next = waiting.shift()
    if (next === undefined) free++
    else next()
  })
  return {
    /** Runs `effect` holding one permit, given back however it ends. */
    withPermit: <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.zipRight(restore(take), restore(effect).pipe(Effect.ensuring(give))),
      ),
    /** For tests: permits free now, and effects waiting for one. */
    state: () => ({ free, waiting: waiting.length }),
  }
}
