import { Clock, Effect, Layer } from "effect"

/**
 * A clock that stands still until told otherwise, for tests: Effect's Clock (the bot's one clock) reading a
 * fixed date, while sleeps and timeouts still take real time.
 */
export const fixedClock = (start: Date) => {
  let current = start
  const real = Clock.make()
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => current.getTime(),
    unsafeCurrentTimeNanos: () => BigInt(current.getTime()) * 1_000_000n,
    currentTimeMillis: Effect.sync(() => current.getTime()),
    currentTimeNanos: Effect.sync(() => BigInt(current.getTime()) * 1_000_000n),
    sleep: (duration) => real.sleep(duration),
  }
  return {
    set: (date: Date) => {
      current = date
    },
    now: () => current,
    layer: Layer.setClock(clock),
  }
}
