import { createChatStore } from "./emulator-chats.ts"
import { createFaultQueue, faultError } from "./emulator-faults.ts"
import { inspect } from "./emulator-inspect.ts"
import { type BotCommand, createMethods } from "./emulator-methods.ts"
import {
  ApiError,
  badRequest,
  type Envelope,
  errorEnvelope,
  type Params,
  readRequestParams,
} from "./emulator-params.ts"
import { createStudents } from "./emulator-students.ts"
import type {
  ApiCall,
  CallbackAnswer,
  Chat,
  EmulatorEvent,
  Fault,
  FaultKind,
  Update,
  User,
  WebhookDelivery,
} from "./emulator-types.ts"
import { createUpdateFeed } from "./emulator-updates.ts"

export type BotApiOptions = {
  /** Default "123456:TEST-TOKEN"; the bot's id is the part before the colon. */
  readonly token?: string
  readonly botName?: string
  readonly botUsername?: string
  /** Milliseconds since the epoch; message dates are derived from it. */
  readonly now?: () => number
  /** Webhook POSTs per update before the emulator gives up on it (default 5). */
  readonly webhookAttempts?: number
  /** First webhook retry delay in ms, doubling each time (default 50). */
  readonly webhookBackoffMs?: number
  /** How long a webhook POST may take (default 10 000 ms). */
  readonly webhookTimeoutMs?: number
  /**
   * Deliver webhook POSTs to this origin (e.g. "http://127.0.0.1:8443") with the registered URL's path,
   * whatever host the bot registered: a stand-in for DNS and TLS, so a bot can register https://… in tests.
   */
  readonly webhookOrigin?: string
}

export type { CallbackUpdate, MessageUpdate } from "./emulator-students.ts"

export type Outcome = { readonly status: number; readonly envelope: Envelope }

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })

const failure = (error: ApiError): Outcome => ({ status: error.code, envelope: errorEnvelope(error) })

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const finish = () => {
      clearTimeout(timer)
      signal.removeEventListener("abort", finish)
      resolve()
    }
    const timer = setTimeout(finish, ms)
    if (signal.aborted) finish()
    else signal.addEventListener("abort", finish, { once: true })
  })

const isChat = (value: unknown): value is Chat =>
  typeof value === "object" &&
  value !== null &&
  "id" in value &&
  typeof value.id === "number" &&
  "type" in value &&
  typeof value.type === "string"

/**
 * The Bot API as a web-standard request handler plus the students around it: no sockets, so it runs in a
 * browser as well. `startBotApiEmulator` puts it behind a real HTTP server.
 */
export const createBotApi = (options: BotApiOptions = {}) => {
  const token = options.token ?? "123456:TEST-TOKEN"
  const now = options.now ?? Date.now
  const bot: User = {
    id: Number(token.split(":")[0]) || 123456,
    is_bot: true,
    first_name: options.botName ?? "Emulated Bot",
    username: options.botUsername ?? "emulated_bot",
  }
  const listeners = new Set<(event: EmulatorEvent) => void>()
  const calls: Array<ApiCall> = []
  const deliveries: Array<WebhookDelivery> = []
  const callbackAnswers = new Map<string, Array<CallbackAnswer>>()
  const commands = new Map<string, ReadonlyArray<BotCommand>>()
  const faults = createFaultQueue()
  const chats = createChatStore(now)
  const closing = new AbortController()
  let nextUpdateId = 1

  const emit = (event: EmulatorEvent) => {
    for (const listener of listeners) {
      try {
        listener(event)
      } catch {}
    }
  }

  const record = (call: ApiCall) => {
    calls.push(call)
    emit({ type: "call", call })
  }

  const refusalOf = (error: unknown): Outcome =>
    failure(
      error instanceof ApiError
        ? error
        : new ApiError(500, `Internal Server Error: emulator bug: ${String(error)}`),
    )

  /** Synchronous for every method but getUpdates, so a call is recorded in the same tick as its effect. */
  const run = (method: string, params: Params, signal?: AbortSignal): Outcome | Promise<Outcome> => {
    try {
      const result = methods[method]?.(params, signal)
      const success = (value: unknown): Outcome => ({ status: 200, envelope: { ok: true, result: value } })
      return result instanceof Promise ? result.then(success, refusalOf) : success(result)
    } catch (error) {
      return refusalOf(error)
    }
  }

  const feed = createUpdateFeed({
    now,
    webhookAttempts: options.webhookAttempts ?? 5,
    webhookBackoffMs: options.webhookBackoffMs ?? 50,
    webhookTimeoutMs: options.webhookTimeoutMs ?? 10_000,
    ...(options.webhookOrigin === undefined ? {} : { webhookOrigin: options.webhookOrigin }),
    onDelivery: (delivery) => {
      deliveries.push(delivery)
      emit({ type: "webhook", delivery })
    },
    onWebhookReply: (name, params) => {
      const method = canonical.get(name.toLowerCase())
      if (method === undefined) return
      const at = now()
      const done = ({ status, envelope }: Outcome) =>
        record({ method, params, at, response: envelope, status, fault: undefined, via: "webhook-reply" })
      const outcome = run(method, params)
      if (outcome instanceof Promise) void outcome.then(done)
      else done(outcome)
    },
  })
  const methods = createMethods({ bot, now, chats, feed, callbackAnswers, commands })
  const canonical = new Map(Object.keys(methods).map((name) => [name.toLowerCase(), name]))

  const answer = (method: string, params: Params, at: number, outcome: Outcome, fault?: FaultKind) => {
    record({ method, params, at, response: outcome.envelope, status: outcome.status, fault, via: "http" })
    return outcome
  }

  /**
   * One `POST|GET /bot<token>/<method>` call, its parameters read by `readParams`; undefined = drop the
   * connection. The HTTP server calls it directly for requests without files (no web Request or Response
   * objects per call), `handle` for the rest.
   */
  const serveCall = async (
    pathname: string,
    readParams: () => Params | Promise<Params>,
    signal?: AbortSignal,
  ): Promise<Outcome | undefined> => {
    const at = now()
    const route = /^\/bot([^/]*)\/([^/]+)$/.exec(pathname)
    const method = canonical.get((route?.[2] ?? "").toLowerCase())
    let refusal: ApiError | undefined =
      route === null || (method === undefined && decodeURIComponent(route[1] ?? "") === token)
        ? new ApiError(404, "Not Found")
        : decodeURIComponent(route[1] ?? "") === token
          ? undefined
          : new ApiError(401, "Unauthorized")
    let params: Params = {}
    try {
      params = await readParams()
    } catch (error) {
      refusal ??= error instanceof ApiError ? error : badRequest(String(error))
    }
    if (refusal !== undefined || method === undefined) {
      return answer(
        method ?? route?.[2] ?? pathname,
        params,
        at,
        failure(refusal ?? new ApiError(404, "Not Found")),
      )
    }
    const fault = faults.take(method)
    const refused = fault === undefined ? undefined : faultError(fault)
    if (fault !== undefined && refused !== undefined)
      return answer(method, params, at, failure(refused), fault.kind)
    if (fault?.kind === "reset" && fault.afterProcessing !== true) {
      record({ method, params, at, response: undefined, status: undefined, fault: "reset", via: "http" })
      return undefined
    }
    if (fault?.kind === "delay") await sleep(fault.ms, closing.signal)
    if (method === "getUpdates") emit({ type: "poll", at })
    const outcome = run(method, params, signal)
    const answered = answer(
      method,
      params,
      at,
      outcome instanceof Promise ? await outcome : outcome,
      fault?.kind,
    )
    return fault?.kind === "reset" ? undefined : answered
  }

  /** Serves `POST|GET /bot<token>/<method>` and `GET /file/bot<token>/<path>`; Response.error() = drop the connection. */
  const handle = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url)
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(pathname)
    if (download !== null) {
      const file = download[1] === token ? chats.fileAt(decodeURIComponent(download[2] ?? "")) : undefined
      return file === undefined
        ? json(404, errorEnvelope(new ApiError(404, "Not Found")))
        : new Response(file.content.slice(), {
            headers: { "content-type": file.mime_type ?? "application/octet-stream" },
          })
    }
    const outcome = await serveCall(pathname, () => readRequestParams(request), request.signal)
    return outcome === undefined ? Response.error() : json(outcome.status, outcome.envelope)
  }

  // --- the students ------------------------------------------------------------------------------------

  const pushUpdate = <T extends object>(body: T): Update & T => {
    const update = { update_id: nextUpdateId++, ...body } as Update & T
    feed.push(update)
    emit({ type: "update", update })
    return update
  }

  const students = createStudents({ bot, now, chats, callbackAnswers, pushUpdate })

  const onChange = (listener: (event: EmulatorEvent) => void): (() => void) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }

  return {
    token,
    /** The bot's own User, as getMe describes it. */
    bot,
    handle,
    serveCall,

    ...students,

    /** The id Telegram would give the next update: for an update a test posts to the webhook itself. */
    takeUpdateId: (): number => nextUpdateId++,

    /** Queues any update as given (update_id added when missing); chats it mentions become known. */
    pushRawUpdate: (update: object): Update => {
      const raw = update as Record<string, unknown>
      const id = typeof raw.update_id === "number" ? raw.update_id : nextUpdateId
      nextUpdateId = Math.max(nextUpdateId, id + 1)
      for (const value of Object.values(raw)) {
        const chat = typeof value === "object" && value !== null && "chat" in value ? value.chat : undefined
        if (isChat(chat) && chats.find(chat.id) === undefined) chats.openChat(chat)
      }
      const full = { ...raw, update_id: id } as Update
      feed.push(full)
      emit({ type: "update", update: full })
      return full
    },

    // --- what the bot did ------------------------------------------------------------------------------

    ...inspect({ calls, deliveries, callbackAnswers, chats, feed, methods, onChange }),

    /** Called on every bot call, new update and webhook delivery; returns the unsubscribe function. */
    onChange,

    // --- faults ----------------------------------------------------------------------------------------

    injectFault: (fault: Fault): void => faults.inject(fault),
    /** Fault uses not yet consumed. */
    pendingFaults: (): number => faults.size(),
    clearFaults: (): void => faults.clear(),

    /** Answers a held long poll with no updates, stops webhook delivery and cuts injected delays short. */
    close: (): void => {
      closing.abort()
      feed.close()
    },
  }
}

export type BotApi = ReturnType<typeof createBotApi>
