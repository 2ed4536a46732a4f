import { Effect, Exit, Layer, Tracer } from "effect"
import { type BotMetrics, Metrics } from "./metrics.ts"
import { errorType, PLUMBING_SPANS, ROUTE_SPAN, UPDATE_ATTRIBUTES, updateSpanOf } from "./update-span.ts"

/** Effect.fn names look like "Registration.answer"; anything else (or too many names) is "other". */
const USE_CASE_NAME = /^[A-Za-z][\w-]*\.[\w.-]+$/
const MAX_NAMES = 200

const outcomeOf = (exit: Exit.Exit<unknown, unknown>) =>
  Exit.isSuccess(exit) ? "ok" : errorType(exit.cause) === "Interrupted" ? "interrupted" : "error"

/**
 * A tracer that times every span by name: each use case is an `Effect.fn("Area.action")`, so the
 * core gets a duration histogram per use case without knowing metrics exist. Spans are still made
 * by the tracer that was there before (Effect's native one, or an exporter's).
 */
export const makeSpanMetricsTracer = (base: Tracer.Tracer, metrics: BotMetrics): Tracer.Tracer => {
  const names = new Set<string>()
  const label = (name: string) => {
    if (names.has(name)) return name
    if (!USE_CASE_NAME.test(name) || names.size >= MAX_NAMES) return "other"
    names.add(name)
    return name
  }
  return Tracer.make({
    context: (f, fiber) => base.context(f, fiber),
    span: (name, parent, context, links, startTime, kind, options) => {
      const span = base.span(name, parent, context, links, startTime, kind, options)
      if (!PLUMBING_SPANS.has(name)) {
        const update = updateSpanOf(parent)
        if (update !== undefined && !update.attributes.has(UPDATE_ATTRIBUTES.useCase))
          update.attribute(UPDATE_ATTRIBUTES.useCase, name)
      }
      const end = span.end.bind(span)
      const timed: Tracer.Span = Object.assign(span, {
        end: (endTime: bigint, exit: Exit.Exit<unknown, unknown>) => {
          end(endTime, exit)
          metrics.useCase(label(name), outcomeOf(exit), Number(endTime - startTime) / 1e9)
          if (name === ROUTE_SPAN && Exit.isFailure(exit))
            updateSpanOf(span.parent)?.attribute(UPDATE_ATTRIBUTES.error, errorType(exit.cause))
        },
      })
      return timed
    },
  })
}

/** Installs the span-timing tracer around the current one. */
export const SpanMetrics = Layer.unwrapEffect(
  Effect.gen(function* () {
    const metrics = yield* Metrics
    const base = yield* Effect.tracer
    return Layer.setTracer(makeSpanMetricsTracer(base, metrics))
  }),
)
