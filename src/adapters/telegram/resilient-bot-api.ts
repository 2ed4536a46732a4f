import { Duration, Effect, Layer, type Schema } from "effect"
import {
  BotApi,
  type BotApiFailure,
  type BotApiSettings,
  type CallOptions,
  makeBotApiClient,
} from "./bot-api.ts"

/** 5xx, timeouts and socket trouble: worth another try after a pause. */
const isServerTrouble = (failure: BotApiFailure): boolean =>
  failure._tag === "BotApiUnreachable" || failure.code >= 500

const isFloodLimit = (failure: BotApiFailure): boolean =>
  failure._tag === "BotApiError" && failure.code === 429

/** Retries of a call in server trouble (5xx, unreachable), after 250 ms, 500 ms, 1 s, … (about 8 s in all). */
const TROUBLE_RETRIES = 5

/** Exponential backoff with jitter (×0.8–1.2, as Schedule.jittered) before trouble retry `retry` (0-based). */
export const backoffDelay = (retry: number): Duration.Duration =>
  Duration.millis(250 * 2 ** retry * (0.8 + Math.random() * 0.4))

/** 429s in a row before a call gives up (each one waits what Telegram asked for). */
const FLOOD_RETRIES = 5

/**
 * Where a 429 applies. Telegram's limits are per chat (about one message a second) and per bot (about
 * thirty a second); a refused call that names a chat closes that chat's gate only, any other call closes
 * the gate of every call. getUpdates waits on its own. Calls wait at the gates they pass, so other chats'
 * work goes on while one chat waits.
 */
const makeFloodGates = () => {
  const gates = new Map<string, number>()
  const keyOf = (method: string, params: Readonly<Record<string, unknown>>) => {
    const chat = params.chat_id
    if (typeof chat === "number" || typeof chat === "string") return `chat:${chat}`
    return method === "getUpdates" ? "getUpdates" : "*"
  }
  const openAt = (key: string, now: number) => {
    const until = gates.get(key) ?? 0
    if (until <= now) gates.delete(key)
    return until
  }
  return {
    wait: (method: string, params: Readonly<Record<string, unknown>>) =>
      Effect.suspend(() => {
        const now = Date.now()
        const key = keyOf(method, params)
        const until = Math.max(openAt(key, now), key === "getUpdates" ? 0 : openAt("*", now))
        return until > now ? Effect.sleep(Duration.millis(until - now)) : Effect.void
      }),
    close: (method: string, params: Readonly<Record<string, unknown>>, failure: BotApiFailure) =>
      Effect.sync(() => {
        if (failure._tag !== "BotApiError" || failure.code !== 429) return
        const key = keyOf(method, params)
        const until = Date.now() + (failure.retryAfter ?? 1) * 1000
        gates.set(key, Math.max(gates.get(key) ?? 0, until))
      }),
  }
}

/**
 * A Bot API client that respects Telegram's flood limits and rides out server trouble: calls wait at the
 * flood gates a 429 closed, a 429 is retried after the wait Telegram asked for, 5xx and unreachable after a
 * backoff — around any client (a decorator: the client itself only talks HTTP).
 */
export const resilient = (client: BotApi["Type"]): BotApi["Type"] => {
  const gates = makeFloodGates()
  const call = <A, I>(
    method: string,
    params: Readonly<Record<string, unknown>>,
    result: Schema.Schema<A, I>,
    options?: CallOptions,
  ) => {
    const attempt = gates.wait(method, params).pipe(
      Effect.zipRight(client.call(method, params, result, options)),
      Effect.tapError((failure) => gates.close(method, params, failure)),
    )
    // A loop rather than Effect.retry with a Schedule: that builds a schedule driver and a context per
    // call, and almost every call succeeds at once (the bench's allocation profile). A 429 is retried
    // after the wait Telegram asked for (the gate), up to FLOOD_RETRIES in a row; server trouble after
    // a backoff, up to TROUBLE_RETRIES, each starting the 429 count anew. atMostOnce: a call Telegram
    // may have carried out (timeout, reset, 5xx) is not made again.
    const from = (floods: number, troubles: number): Effect.Effect<A, BotApiFailure> =>
      Effect.catchAll(attempt, (failure) => {
        if (isFloodLimit(failure) && floods < FLOOD_RETRIES) return from(floods + 1, troubles)
        if (!options?.atMostOnce && isServerTrouble(failure) && troubles < TROUBLE_RETRIES)
          return Effect.zipRight(Effect.sleep(backoffDelay(troubles)), from(0, troubles + 1))
        return Effect.fail(failure)
      })
    return from(0, 0)
  }
  return BotApi.of({ call: call as BotApi["Type"]["call"] })
}

/** The decorator as a Layer over the BotApi below it. */
export const ResilientBotApi = Layer.effect(BotApi, Effect.map(BotApi, resilient))

/** The client as the bot uses it: with Telegram's flood limits respected and server trouble retried. */
export const makeBotApi = (settings: BotApiSettings) => Effect.map(makeBotApiClient(settings), resilient)

export const BotApiLive = (settings: BotApiSettings) =>
  ResilientBotApi.pipe(Layer.provide(Layer.scoped(BotApi, makeBotApiClient(settings))))
