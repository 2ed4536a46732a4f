import {
  ApiError,
  badRequest,
  type Params,
  readBoolean,
  readInteger,
  readJson,
  readString,
} from "./emulator-params.ts"
import type { Update, WebhookDelivery, WebhookInfo } from "./emulator-types.ts"

/** Kinds Telegram only sends when allowed_updates names them. */
const optInKinds = new Set(["chat_member", "message_reaction", "message_reaction_count"])

export const updateKind = (update: Update): string =>
  Object.keys(update).find((key) => key !== "update_id") ?? "unknown"

export type UpdateFeedOptions = {
  readonly now: () => number
  /** Webhook POSTs per update before it is dropped (Telegram retries for hours; tests cannot wait). */
  readonly webhookAttempts: number
  /** First retry delay; doubles each attempt. */
  readonly webhookBackoffMs: number
  readonly webhookTimeoutMs: number
  /** Where webhook POSTs really go (the registered URL's path is kept); undefined = the URL itself. */
  readonly webhookOrigin?: string
  readonly onDelivery: (delivery: WebhookDelivery) => void
  /** A webhook may answer with one Bot API call ({ method, ...params }), which Telegram then runs. */
  readonly onWebhookReply: (method: string, params: Params) => void
}

type Waiter = { readonly limit: number; readonly finish: (outcome: Array<Update> | ApiError) => void }

type Webhook = { readonly url: string; readonly secret: string | undefined; readonly maxConnections: number }

const webhookActive = () =>
  new ApiError(
    409,
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
  )

/** The bot's update queue: getUpdates with offsets and long polling, or delivery to a webhook. */
export const createUpdateFeed = (options: UpdateFeedOptions) => {
  let pending: Array<Update> = []
  let allowed: ReadonlyArray<string> = []
  let waiter: Waiter | undefined
  let webhook: Webhook | undefined
  let lastError: { readonly date: number; readonly message: string } | undefined
  let delivering = false
  let inFlight: AbortController | undefined
  let cutPause: (() => void) | undefined
  let closed = false

  const isAllowed = (update: Update): boolean => {
    const kind = updateKind(update)
    return allowed.length === 0 ? !optInKinds.has(kind) : allowed.includes(kind)
  }

  const ready = (limit: number): Array<Update> => {
    pending = pending.filter(isAllowed)
    return pending.slice(0, limit)
  }

  const readAllowed = (params: Params) => {
    const list = readJson(params, "allowed_updates", () =>
      badRequest("can't parse allowed_updates JSON array"),
    )
    if (Array.isArray(list)) allowed = list.filter((kind): kind is string => typeof kind === "string")
  }

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer)
        cutPause = undefined
        resolve()
      }
      const timer = setTimeout(finish, ms)
      cutPause = finish
    })

  const interruptDelivery = () => {
    inFlight?.abort()
    cutPause?.()
  }

  const runWebhookReply = (body: string) => {
    try {
      const reply: unknown = JSON.parse(body)
      if (
        typeof reply === "object" &&
        reply !== null &&
        "method" in reply &&
        typeof reply.method === "string"
      ) {
        const { method, ...params } = reply as Record<string, unknown>
        options.onWebhookReply(String(method), params)
      }
    } catch {}
  }

  /** POSTs pending updates one at a time, in order, retrying each with a doubling backoff. */
  const deliver = async () => {
    if (delivering) return
    delivering = true
    try {
      let attempt = 0
      while (!closed && webhook !== undefined && pending.length > 0) {
        const target: Webhook = webhook
        const update = pending[0]
        if (update === undefined) break
        if (!isAllowed(update)) {
          pending.shift()
          continue
        }
        attempt++
        const controller = new AbortController()
        inFlight = controller
        const timer = setTimeout(() => controller.abort(), options.webhookTimeoutMs)
        let status: number | undefined
        let error: string | undefined
        try {
          const url =
            options.webhookOrigin === undefined
              ? target.url
              : new URL(new URL(target.url).pathname, options.webhookOrigin).href
          const response = await fetch(url, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              ...(target.secret === undefined ? {} : { "x-telegram-bot-api-secret-token": target.secret }),
            },
            body: JSON.stringify(update),
            signal: controller.signal,
          })
          status = response.status
          const body = await response.text()
          if (status < 200 || status > 299)
            error = `Wrong response from the webhook: ${status} ${response.statusText}`
          else runWebhookReply(body)
        } catch (cause) {
          error = controller.signal.aborted ? "Read timeout expired" : `Connection failed: ${String(cause)}`
        } finally {
          clearTimeout(timer)
          inFlight = undefined
        }
        options.onDelivery({ update_id: update.update_id, attempt, status, error, at: options.now() })
        if (error === undefined || attempt >= options.webhookAttempts) {
          if (error !== undefined) lastError = { date: Math.floor(options.now() / 1000), message: error }
          if (pending[0] === update) pending.shift()
          attempt = 0
          continue
        }
        lastError = { date: Math.floor(options.now() / 1000), message: error }
        await pause(options.webhookBackoffMs * 2 ** (attempt - 1))
      }
    } finally {
      delivering = false
    }
  }

  const wake = () => {
    if (waiter === undefined) return
    const updates = ready(waiter.limit)
    if (updates.length > 0) waiter.finish(updates)
  }

  const confirm = (offset: number) => {
    pending = offset < 0 ? pending.slice(offset) : pending.filter((update) => update.update_id >= offset)
  }

  return {
    /** Queues an update; false when the bot's allowed_updates exclude its kind (Telegram would not create it). */
    push: (update: Update): boolean => {
      if (closed || !isAllowed(update)) return false
      pending.push(update)
      // a microtask lets updates pushed together reach one long poll together
      queueMicrotask(wake)
      if (webhook !== undefined) void deliver()
      return true
    },

    pending: (): ReadonlyArray<Update> => pending,

    getUpdates: (params: Params, signal?: AbortSignal): Promise<Array<Update>> => {
      if (webhook !== undefined) return Promise.reject(webhookActive())
      readAllowed(params)
      const offset = readInteger(params, "offset")
      if (offset !== undefined && offset !== 0) confirm(offset)
      const limit = Math.min(100, Math.max(1, readInteger(params, "limit") ?? 100))
      const timeout = Math.max(0, readInteger(params, "timeout") ?? 0)
      waiter?.finish(new ApiError(409, "Conflict: terminated by other getUpdates request"))
      const updates = ready(limit)
      if (updates.length > 0 || timeout === 0 || closed || signal?.aborted) return Promise.resolve(updates)
      return new Promise((resolve, reject) => {
        const finish = (outcome: Array<Update> | ApiError) => {
          clearTimeout(timer)
          signal?.removeEventListener("abort", abandon)
          if (waiter === self) waiter = undefined
          if (outcome instanceof ApiError) reject(outcome)
          else resolve(outcome)
        }
        const abandon = () => finish([])
        const self: Waiter = { limit, finish }
        const timer = setTimeout(() => finish(ready(limit)), timeout * 1000)
        signal?.addEventListener("abort", abandon, { once: true })
        waiter = self
      })
    },

    setWebhook: (params: Params): true => {
      const url = readString(params, "url") ?? ""
      const drop = readBoolean(params, "drop_pending_updates")
      readAllowed(params)
      if (url === "") {
        webhook = undefined
        if (drop) pending = []
        return true
      }
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        throw badRequest("bad webhook: Failed to resolve host: Name or service not known")
      }
      // Telegram demands HTTPS; a local emulator must accept http://127.0.0.1 as well
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
        throw badRequest("bad webhook: An HTTPS URL must be provided for webhook")
      }
      const secret = readString(params, "secret_token")
      if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
        throw badRequest("secret token contains unallowed characters")
      }
      if (drop) pending = []
      webhook = { url, secret, maxConnections: readInteger(params, "max_connections") ?? 40 }
      lastError = undefined
      waiter?.finish(webhookActive())
      void deliver()
      return true
    },

    deleteWebhook: (params: Params): true => {
      webhook = undefined
      interruptDelivery()
      if (readBoolean(params, "drop_pending_updates")) pending = []
      return true
    },

    webhookInfo: (): WebhookInfo => ({
      url: webhook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: pending.length,
      ...(webhook === undefined ? {} : { max_connections: webhook.maxConnections }),
      ...(allowed.length === 0 ? {} : { allowed_updates: allowed }),
      ...(lastError === undefined
        ? {}
        : { last_error_date: lastError.date, last_error_message: lastError.message }),
    }),

    /** Answers a held long poll with nothing and stops webhook delivery. */
    close: () => {
      closed = true
      waiter?.finish([])
      interruptDelivery()
    },
  }
}

export type UpdateFeed = ReturnType<typeof createUpdateFeed>
