import { Cause, Option } from "effect"

/**
 * The tracing span around one update, opened by the metered decorator. What happens inside is noted
 * on it as attributes, so that the decorators and the span tracer need no other channel:
 * the rate limiter marks a refused update, the tracer names the use case and the error.
 */
export const UPDATE_SPAN = "Bot.update"

export const UPDATE_ATTRIBUTES = {
  kind: "bot.update.kind",
  useCase: "bot.update.use_case",
  error: "bot.update.error",
  limited: "bot.update.rate_limited",
} as const

/** handleIncoming's router: a failure that leaves it becomes an error ID (see handle-update.ts). */
export const ROUTE_SPAN = "Bot.route"

/** Spans and use cases that carry every update and so say nothing about which use case ran. */
export const PLUMBING_SPANS: ReadonlySet<string> = new Set([UPDATE_SPAN, ROUTE_SPAN, "Bot.handle"])

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
