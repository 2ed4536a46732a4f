import { Clock, Effect } from "effect"

/**
 * The wall clock is Effect's own Clock, as everywhere else in the bot (timeouts, schedules, metrics): tests fix
 * the date by setting theirs (`fixedClock` in adapters/system/clock.ts, with Layer.setClock).
 */
export const currentDate: Effect.Effect<Date> = Effect.map(
  Clock.currentTimeMillis,
  (millis) => new Date(millis),
)
