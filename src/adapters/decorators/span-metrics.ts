import { Effect, Exit, Layer, Tracer } from "effect"
import { CurrentUseCaseObserver, type UseCaseObserver } from "../../application/use-case.ts"
import { type BotMetrics, Metrics } from "./metrics.ts"
import { errorType } from "./update-span.ts"

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
 * Times every use case by name: each is a `useCase("Area.action")` (application/use-case.ts), so the
 * core gets a duration histogram per use case without knowing metrics exist.
 */
export const makeUseCaseMetrics = (metrics: BotMetrics): UseCaseObserver => {
  const label = makeLabel()
  return (name) => {
    const started = performance.now()
    return (exit) => metrics.useCase(label(name), outcomeOf(exit), (performance.now() - started) / 1000)
  }
}

/**
 * A tracer that times every span by name into the same histogram (the update span, and any span an
 * adapter opens). Spans are still made by the tracer that was there before (Effect's native one, or
 * an exporter's).
 */
export const makeSpanMetricsTracer = (base: Tracer.Tracer, metrics: BotMetrics): Tracer.Tracer => {
  const label = makeLabel()
  return Tracer.make({
    context: (f, fiber) => base.context(f, fiber),
    span: (name, parent, context, links, startTime, kind, options) => {
      const span = base.span(name, parent, context, links, startTime, kind, options)
      const end = span.end.bind(span)
      const timed: Tracer.Span = Object.assign(span, {
        end: (endTime: bigint, exit: Exit.Exit<unknown, unknown>) => {
          end(endTime, exit)
          metrics.useCase(label(name), outcomeOf(exit), Number(endTime - startTime) / 1e9)
        },
      })
      return timed
    },
  })
}

/** Installs the use-case observer and the span-timing tracer around the current one. */
export const SpanMetrics = Layer.unwrapEffect(
  Effect.gen(function* () {
    const metrics = yield* Metrics
    const base = yield* Effect.tracer
    return Layer.merge(
      Layer.setTracer(makeSpanMetricsTracer(base, metrics)),
      Layer.locallyScoped(CurrentUseCaseObserver, makeUseCaseMetrics(metrics)),
    )
  }),
)
