import { Cause, Option } from "effect"

/**
 * The use case around one update, opened by the metered decorator. What happens inside is noted on a
 * plain object for that update (no tracing span: one costs a context and fiber-ref copies per update):
 * which use case ran, and the error that left the router; a refused update is the use case
 * RATE_LIMIT_USE_CASE.
 */
export const UPDATE_USE_CASE = "Bot.update"

/** The rate limiter's refusal, as a use case: metrics and performance.log count it as "limited". */
export const RATE_LIMIT_USE_CASE = "RateLimit.refuse"

/** handleIncoming's router: a failure that leaves it becomes an error ID (see handle-update.ts). */
export const ROUTE_USE_CASE = "Bot.route"

/**
 * The use cases around every update as a whole: their time is the update's (bot_update_duration_seconds),
 * so the use-case histogram leaves them out. (ROUTE_USE_CASE stays: its outcome says the router failed.)
 */
export const WHOLE_UPDATE_USE_CASES: ReadonlySet<string> = new Set([UPDATE_USE_CASE, "Bot.handle"])

/** Use cases that carry every update and so say nothing about which use case ran. */
export const PLUMBING_USE_CASES: ReadonlySet<string> = new Set([...WHOLE_UPDATE_USE_CASES, ROUTE_USE_CASE])

/** A short, bounded name for what went wrong: the tagged error's tag, or Defect / Interrupted. */
export const errorType = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    if (typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string")
      return error._tag
    return error instanceof Error ? error.name : "UnknownError"
  }
  if (Cause.isDie(cause)) return "Defect"
  return Cause.isInterruptedOnly(cause) ? "Interrupted" : "Unknown"
}
