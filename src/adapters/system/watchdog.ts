import { Duration, Effect, Fiber } from "effect"

/** What to do when a job has not ended `after` its arrival (e.g. answer a pressed button within a second). */
export type Watchdog = { readonly after: Duration.DurationInput; readonly act: Effect.Effect<void> }

/**
 * Arms a watchdog: a timer, and a fiber (`fork`, which may decline) only once it fires. Most updates end
 * well within it, and a sleeping fiber per button press, interrupted at its end, was a cost on every
 * update. Answers the effect that calls it off (interrupting the act if it has begun).
 */
export const armWatchdog = (
  watchdog: Watchdog,
  fork: (effect: Effect.Effect<void>) => Fiber.RuntimeFiber<void> | undefined,
): Effect.Effect<void> => {
  let acting: Fiber.RuntimeFiber<void> | undefined
  const timer = setTimeout(() => {
    acting = fork(Effect.interruptible(watchdog.act))
  }, Duration.toMillis(watchdog.after))
  // a job interrupted at shutdown leaves its timer armed: it must not keep the process alive
  timer.unref()
  return Effect.suspend(() => {
    clearTimeout(timer)
    return acting === undefined ? Effect.void : Fiber.interrupt(acting)
  })
}
