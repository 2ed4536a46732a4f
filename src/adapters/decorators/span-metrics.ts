import { Effect, Exit, Layer } from "effect"
import { CurrentUseCaseObserver, type UseCaseObserver } from "../../application/common/use-case.ts"
import { type BotMetrics, Metrics } from "../metrics/metrics.ts"
import { errorType, WHOLE_UPDATE_USE_CASES } from "./update-use-cases.ts"

/** Use case names look like "Registration.answer"; anything else (or too many names) is "other". */
const USE_CASE_NAME = /^[A-Za-z][\w-]*\.[\w.-]+$/
const MAX_NAMES = 200

const outcomeOf = (exit: Exit.Exit<unknown, unknown>) =>
  Exit.isSuccess(exit) ? "ok" : errorType(exit.cause) === "Interrupted" ? "interrupted" : "error"

const makeLabel = () => {
  const names = new Set<string>()
  return (name: string) => {
    if (names.has(name)) return name
    if (!USE_CASE_NAME.test(name) || names.size >= MAX_NAMES) return "other"
    names.add(name)
    return name
  }
}

/**
 * Times every use case by name: each is a `useCase("Area.action")` (application/common/use-case.ts), so the
 * core gets a duration histogram per use case without knowing metrics exist. The two around a whole update
 * are the update's own duration, timed once by the metered decorator.
 */
export const makeUseCaseMetrics = (metrics: BotMetrics): UseCaseObserver => {
  const label = makeLabel()
  return (name) => {
    if (WHOLE_UPDATE_USE_CASES.has(name)) return undefined
    const started = performance.now()
    return (exit) => metrics.useCase(label(name), outcomeOf(exit), (performance.now() - started) / 1000)
  }
}

/**
 * Installs the use-case observer. (It is not a tracer: a tracer other than Effect's own is called
 * around every step of every fiber, and a span per use case costs tens of µs.)
 */
export const SpanMetrics = Layer.unwrapEffect(
  Effect.map(Metrics, (metrics) => Layer.locallyScoped(CurrentUseCaseObserver, makeUseCaseMetrics(metrics))),
)
