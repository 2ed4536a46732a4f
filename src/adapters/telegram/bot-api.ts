import { Context, Effect, Either, Layer, Redacted, Schema } from "effect"
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

/** The client itself: one POST per call, the envelope decoded; no retry, no waiting (see resilient-bot-api.ts). */
export const makeBotApiClient = (settings: BotApiSettings) =>
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

    return BotApi.of({ call: once as BotApi["Type"]["call"] })
  })

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
