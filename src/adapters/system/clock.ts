import { Effect, Layer } from "effect"
import { Clock } from "../../application/ports/clock.ts"

export const SystemClock = Layer.succeed(Clock, { now: Effect.sync(() => new Date()) })

/** A clock that stands still until told otherwise: for tests. */
export const fixedClock = (start: Date) => {
  let current = start
  return {
    set: (date: Date) => {
      current = date
    },
    now: () => current,
    layer: Layer.succeed(Clock, { now: Effect.sync(() => current) }),
  }
}
