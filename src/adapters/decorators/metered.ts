import { Cause, Clock, Effect, Exit, Layer, Option } from "effect"
import { Bot } from "../../application/bot.ts"
import {
  asUseCase,
  CurrentUseCaseObserver,
  type UseCaseObserver,
  withFiberRef,
} from "../../application/common/use-case.ts"
import { PerformanceLog } from "../logging/performance-log.ts"
import { Metrics, type UpdateOutcome } from "../metrics/metrics.ts"
import { BotApi } from "../telegram/bot-api.ts"
import { updateIdOf } from "../telegram/updates.ts"
import {
  errorType,
  PLUMBING_USE_CASES,
  RATE_LIMIT_USE_CASE,
  ROUTE_USE_CASE,
  UPDATE_USE_CASE,
} from "./update-use-cases.ts"

const nanosToSeconds = (start: bigint, end: bigint) => Number(end - start) / 1e9

/** What one update's use cases told the metered decorator: the first named one, and the router's error. */
type UpdateNotes = { useCase: string | undefined; error: string | undefined }

/**
 * Notes which use case handled the update (the first to start that is not plumbing) and the error that
 * left the router, then passes each use case on to `outer` (metrics).
 */
const noting =
  (notes: UpdateNotes) =>
  (outer: UseCaseObserver | undefined): UseCaseObserver =>
  (name) => {
    if (notes.useCase === undefined && !PLUMBING_USE_CASES.has(name)) notes.useCase = name
    const end = outer?.(name)
    if (name !== ROUTE_USE_CASE) return end
    return (exit) => {
      end?.(exit)
      if (Exit.isFailure(exit)) notes.error = errorType(exit.cause)
    }
  }

/**
 * Bot, measured: every update is counted by kind and outcome, timed, attributed to its use case
 * (the first named use case it ran) and written to performance.log; its student counts as active.
 * No tracing span: the use cases tell what ran through the observer (application/common/use-case.ts).
 */
export const MeteredBot = Layer.effect(
  Bot,
  Effect.gen(function* () {
    const inner = yield* Bot
    const metrics = yield* Metrics
    const performance = yield* PerformanceLog
    return Bot.of({
      handle: (incoming) =>
        Effect.gen(function* () {
          const kind = incoming.event._tag
          metrics.updateReceived(kind, incoming.userId, yield* Clock.currentTimeMillis)
          const started = yield* Clock.currentTimeNanos
          const notes: UpdateNotes = { useCase: undefined, error: undefined }
          const exit = yield* inner
            .handle(incoming)
            .pipe(withFiberRef(CurrentUseCaseObserver, noting(notes)), Effect.exit)
          const seconds = nanosToSeconds(started, yield* Clock.currentTimeNanos)
          const error = Exit.isFailure(exit) ? errorType(exit.cause) : notes.error
          const limited = notes.useCase === RATE_LIMIT_USE_CASE
          const outcome: UpdateOutcome = limited ? "limited" : error !== undefined ? "error" : "ok"
          const useCase = notes.useCase ?? ROUTE_USE_CASE
          metrics.updateHandled(kind, outcome, seconds, error)
          yield* performance.record({
            kind,
            useCase,
            durationMs: seconds * 1000,
            outcome,
            ...(error === undefined ? {} : { error }),
          })
          return yield* exit
        }).pipe(asUseCase(UPDATE_USE_CASE)),
    })
  }),
)

const fetchedType = (update: unknown): string => {
  if (typeof update !== "object" || update === null) return "other"
  if ("message" in update) return "message"
  if ("callback_query" in update) return "callback_query"
  return "other"
}

const messageDate = (update: unknown): number | undefined => {
  if (typeof update !== "object" || update === null || !("message" in update)) return undefined
  const message = update.message
  return typeof message === "object" &&
    message !== null &&
    "date" in message &&
    typeof message.date === "number"
    ? message.date
    : undefined
}

/**
 * BotApi, measured: calls by method and outcome with their durations, the time of Telegram's last
 * answer (readiness), and for getUpdates what arrived and how late (polling lag).
 */
export const MeteredBotApi = Layer.effect(
  BotApi,
  Effect.gen(function* () {
    const inner = yield* BotApi
    const metrics = yield* Metrics
    // Polling asks again for updates still in flight (their offset is not confirmed yet): count each once.
    let newestFetched = -1
    const call: BotApi["Type"]["call"] = (method, params, result, options) =>
      Effect.gen(function* () {
        const started = yield* Clock.currentTimeNanos
        const exit = yield* Effect.exit(inner.call(method, params, result, options))
        const now = yield* Clock.currentTimeMillis
        const seconds = nanosToSeconds(started, yield* Clock.currentTimeNanos)
        if (Exit.isSuccess(exit)) {
          metrics.botApiCall(method, "ok", seconds, true, now)
          if (method === "getUpdates" && Array.isArray(exit.value)) {
            for (const update of exit.value) {
              const id = updateIdOf(update)
              if (id !== undefined && id <= newestFetched) continue
              if (id !== undefined) newestFetched = id
              metrics.updatesFetched(fetchedType(update))
              const date = messageDate(update)
              if (date !== undefined) metrics.pollingLag(now / 1000 - date)
            }
          }
        } else {
          const failure = Option.getOrUndefined(Cause.failureOption(exit.cause))
          const outcome =
            failure === undefined
              ? errorType(exit.cause).toLowerCase()
              : failure._tag === "BotApiError"
                ? `error_${failure.code}`
                : "unreachable"
          // A refusal (4xx) is Telegram answering; a 5xx is a proxy or Telegram in trouble.
          const answered = failure?._tag === "BotApiError" && failure.code < 500
          metrics.botApiCall(method, outcome, seconds, answered, now)
        }
        return yield* exit
      })
    return BotApi.of({ call })
  }),
)
