import { Effect } from "effect"

/**
 * One lock per key (a student, an order…): effects for the same key run one after another, in the
 * order they asked; different keys never wait for each other. Idle keys take no memory.
 */
export const makeKeyedLock = <K>() => {
  const slots = new Map<K, { readonly semaphore: Effect.Semaphore; waiting: number }>()
  const withLock = <A, E, R>(key: K, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.suspend(() => {
      let slot = slots.get(key)
      if (slot === undefined) {
        slot = { semaphore: Effect.unsafeMakeSemaphore(1), waiting: 0 }
        slots.set(key, slot)
      }
      const held = slot
      held.waiting += 1
      return held.semaphore
        .withPermits(1)(effect)
        .pipe(
          Effect.ensuring(
            Effect.sync(() => {
              held.waiting -= 1
              if (held.waiting === 0) slots.delete(key)
            }),
          ),
        )
    })
  return { withLock, busyKeys: () => slots.size }
}

export type KeyedLock<K> = ReturnType<typeof makeKeyedLock<K>>
