import { Context, Duration, Effect, Either, Layer, Redacted, Schema } from "effect"
import { FormData, Pool } from "undici"
import { BotApiProbe } from "../http/health-routes.ts"

/** Telegram answered, and said no. */
export class BotApiError extends Schema.TaggedError<BotApiError>()("BotApiError", {
  method: Schema.String,
  code: Schema.Number,
  description: Schema.String,
  retryAfter: Schema.optionalWith(Schema.Number, { exact: true }),
}) {}

/** Telegram did not answer: refused connection, reset socket, timeout, or a body that is not the envelope. */
export class BotApiUnreachable extends Schema.TaggedError<BotApiUnreachable>()("BotApiUnreachable", {
  method: Schema.String,
  detail: Schema.String,
}) {}

export type BotApiFailure = BotApiError | BotApiUnreachable

type Envelope =
  | { readonly ok: true; readonly result: unknown }
  | {
      readonly ok: false
      readonly error_code: number
      readonly description: string
      readonly parameters?: { readonly retry_after?: number }
    }

/**
 * The Bot API's envelope, checked by hand: every call reads one, and a Schema union costs far more
 * than the JSON itself (the bench's profile). Anything else is "not a Bot API answer".
 */
const decodeEnvelope = (body: string): Either.Either<Envelope, undefined> => {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    return Either.left(undefined)
  }
  if (typeof value !== "object" || value === null) return Either.left(undefined)
  const envelope = value as Record<string, unknown>
  if (envelope.ok === true && "result" in envelope) return Either.right({ ok: true, result: envelope.result })
  if (envelope.ok !== false || typeof envelope.error_code !== "number") return Either.left(undefined)
  if (typeof envelope.description !== "string") return Either.left(undefined)
  const parameters = envelope.parameters as Record<string, unknown> | undefined
  const retryAfter =
    typeof parameters === "object" && parameters !== null ? parameters.retry_after : undefined
  return Either.right({
    ok: false,
    error_code: envelope.error_code,
    description: envelope.description,
    ...(typeof retryAfter === "number" ? { parameters: { retry_after: retryAfter } } : {}),
  })
}

export type CallOptions = {
  /** Seconds the server may hold the request (getUpdates long polling). */
  readonly longPoll?: number
  /**
   * Retry only refusals (429), never a call Telegram may have carried out (timeout, reset, 5xx):
   * for sends that must not reach anyone twice, such as a broadcast.
   */
  readonly atMostOnce?: true
}

/** A file to upload with a call (sendDocument): the call then goes as multipart/form-data. */
export type InputFile = {
  readonly _tag: "InputFile"
  readonly fileName: string
  readonly mimeType: string
  readonly content: Uint8Array
}

const isInputFile = (value: unknown): value is InputFile =>
  typeof value === "object" && value !== null && "_tag" in value && value._tag === "InputFile"

/** JSON, or multipart when a parameter is a file (other values as Telegram reads form fields). */
const encodeBody = (params: object): { body: string | FormData; headers: Record<string, string> } => {
  const entries = Object.entries(params)
  if (!entries.some(([, value]) => isInputFile(value))) {
    return { body: JSON.stringify(params), headers: { "content-type": "application/json" } }
  }
  const form = new FormData()
  for (const [name, value] of entries) {
    if (value === undefined) continue
    if (isInputFile(value))
      form.append(name, new Blob([value.content], { type: value.mimeType }), value.fileName)
    else form.append(name, typeof value === "string" ? value : JSON.stringify(value))
  }
  return { body: form, headers: {} }
}

/** A Bot API client and nothing more: one POST per method, JSON in, the decoded `result` out. */
export class BotApi extends Context.Tag("BotApi")<
  BotApi,
  {
    readonly call: <A, I>(
      method: string,
      params: Readonly<Record<string, unknown>>,
      result: Schema.Schema<A, I>,
      options?: CallOptions,
    ) => Effect.Effect<A, BotApiFailure>
  }
>() {}

export type BotApiSettings = {
  readonly token: Redacted.Redacted<string>
  /** Base URL of the Bot API, e.g. https://api.telegram.org or a local emulator. */
  readonly apiRoot: string
  /** Seconds a normal call may take before it counts as a timeout. */
  readonly requestTimeout?: number
}

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

export const makeBotApi = (settings: BotApiSettings) =>
  Effect.gen(function* () {
    const root = new URL(settings.apiRoot)
    const prefix = root.pathname.replace(/\/$/, "")
    const pool = yield* Effect.acquireRelease(
      Effect.sync(() => new Pool(root.origin, { connections: 32, keepAliveTimeout: 30_000, pipelining: 1 })),
      (pool) => Effect.promise(() => pool.close().catch(() => undefined)),
    )
    const timeout = (settings.requestTimeout ?? 20) * 1000
    const path = (method: string) => `${prefix}/bot${Redacted.value(settings.token)}/${method}`

    const once = <A, I>(
      method: string,
      params: Readonly<Record<string, unknown>>,
      result: Schema.Schema<A, I>,
      options?: CallOptions,
    ) =>
      Effect.tryPromise({
        try: async (signal) => {
          const limit = options?.longPoll === undefined ? timeout : (options.longPoll + 15) * 1000
          const { body, headers } = encodeBody(params)
          const response = await pool.request({
            method: "POST",
            path: path(method),
            headers,
            body,
            signal,
            headersTimeout: limit,
            bodyTimeout: limit,
          })
          return response.body.text()
        },
        // The token is part of the path: never put the request itself into an error.
        catch: (error) =>
          new BotApiUnreachable({
            method,
            detail: error instanceof Error ? `${error.name}: ${error.message}` : "unknown",
          }),
      }).pipe(
        Effect.flatMap((body) =>
          Either.mapLeft(
            decodeEnvelope(body),
            () => new BotApiUnreachable({ method, detail: `not a Bot API answer: ${body.slice(0, 120)}` }),
          ),
        ),
        Effect.flatMap(
          (envelope): Effect.Effect<A, BotApiFailure> =>
            envelope.ok
              ? Schema.decodeUnknownEither(result)(envelope.result).pipe(
                  Effect.mapError(
                    (error) =>
                      new BotApiUnreachable({ method, detail: `unexpected result: ${error.message}` }),
                  ),
                )
              : Effect.fail(
                  new BotApiError({
                    method,
                    code: envelope.error_code,
                    description: envelope.description,
                    ...(envelope.parameters?.retry_after === undefined
                      ? {}
                      : { retryAfter: envelope.parameters.retry_after }),
                  }),
                ),
        ),
      )

    const gates = makeFloodGates()
    const call = <A, I>(
      method: string,
      params: Readonly<Record<string, unknown>>,
      result: Schema.Schema<A, I>,
      options?: CallOptions,
    ) => {
      const attempt = gates.wait(method, params).pipe(
        Effect.zipRight(once(method, params, result, options)),
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
  })

export const BotApiLive = (settings: BotApiSettings) => Layer.scoped(BotApi, makeBotApi(settings))

/** Readiness's question to Telegram: getMe answers (a refusal says its code and description). */
export const BotApiProbeLive = Layer.effect(
  BotApiProbe,
  Effect.map(BotApi, (api) =>
    BotApiProbe.of({
      ask: api.call("getMe", {}, Schema.Unknown).pipe(
        Effect.asVoid,
        Effect.mapError((error) =>
          error._tag === "BotApiError" ? `${error.code} ${error.description}` : error.detail,
        ),
      ),
    }),
  ),
)
