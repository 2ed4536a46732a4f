import { createHash, createHmac, timingSafeEqual } from "node:crypto"
import { Deferred, Duration, Effect, Exit, Redacted, Schedule, Schema } from "effect"
import type { UpdateInbox } from "../../application/ports/update-inbox.ts"
import { type Route, text } from "../http/server.ts"
import type { Job, UpdateQueue } from "../system/update-queue.ts"
import { BotApi, type BotApiFailure } from "./bot-api.ts"
import { BotStopped, isTokenRejected, TOKEN_REJECTED } from "./polling.ts"
import { logWriteFailed, type WriteFailed } from "./scheduler.ts"
import { ALLOWED_UPDATES } from "./updates.ts"

export const SECRET_HEADER = "x-telegram-bot-api-secret-token"

/** Telegram's updates are small; anything bigger is not one. */
export const WEBHOOK_MAX_BODY_BYTES = 256 * 1024

/** The webhook's path: a hash of the token, so the path is unguessable and the token never in a URL. */
export const webhookPath = (token: Redacted.Redacted<string>): string =>
  `/telegram/${createHash("sha256")
    .update(`webhook-path:${Redacted.value(token)}`)
    .digest("hex")
    .slice(0, 40)}`

/** The secret_token Telegram sends back in every webhook request (derived, so it survives restarts). */
export const webhookSecret = (token: Redacted.Redacted<string>): Redacted.Redacted<string> =>
  Redacted.make(
    createHmac("sha256", Redacted.value(token)).update("webhook-secret-token").digest("base64url"),
  )

/** Compares in constant time (over digests, so the length leaks nothing either). */
export const sameSecret = (given: string | undefined, expected: Redacted.Redacted<string>): boolean => {
  if (given === undefined) return false
  const digest = (value: string) => createHash("sha256").update(value).digest()
  return timingSafeEqual(digest(given), digest(Redacted.value(expected)))
}

/** Joins the public base address and the secret path (a base path is kept). */
export const webhookUrl = (base: string, token: Redacted.Redacted<string>): string =>
  `${base.replace(/\/+$/, "")}${webhookPath(token)}`

export type WebhookSettings = {
  /** The public base address (WEBHOOK_URL): its path, if any, comes before the secret path. */
  readonly base: string
  readonly token: Redacted.Redacted<string>
  readonly scheduler: UpdateQueue
  readonly toJob: (raw: unknown) => Job | undefined
  /** Stores the update before the 200 (file storage), so a crash after it loses nothing. */
  readonly inbox?: UpdateInbox["Type"]
  /** Told when the inbox could not store an update (StorageHealth.writeFailed); by default logged. */
  readonly onWriteFailed?: WriteFailed
}

/** How long a request waits for an update the inbox could not store to be handled (Telegram waits ~60 s). */
const UNSTORED_WAIT = Duration.seconds(30)

/**
 * POST <secret path>: a missing or wrong secret header gets 401, a body over the limit 413 (from the
 * server), anything that is not an update 400. A valid update is stored in the inbox (if any), handed to
 * the scheduler and acknowledged at once with 200; while shutting down or overloaded, the answer is 503,
 * so Telegram delivers it again later. One the inbox cannot store (a full disk) is handled all the same,
 * and the 200 waits for its handling to end: until then Telegram keeps it.
 */
export const webhookRoute = (settings: WebhookSettings): Route => {
  const path = new URL(webhookUrl(settings.base, settings.token)).pathname
  const secret = webhookSecret(settings.token)
  return {
    method: "POST",
    path,
    maxBodyBytes: WEBHOOK_MAX_BODY_BYTES,
    handle: (request) =>
      Effect.gen(function* () {
        const header = request.headers[SECRET_HEADER]
        if (!sameSecret(typeof header === "string" ? header : undefined, secret)) {
          yield* Effect.logWarning("webhook request with a missing or wrong secret token refused")
          return text(401, "unauthorized")
        }
        let raw: unknown
        try {
          raw = JSON.parse(request.body.toString("utf8"))
        } catch {
          return text(400, "not an update")
        }
        const job = settings.toJob(raw)
        if (job === undefined) return text(400, "not an update")
        const stored =
          settings.inbox === undefined
            ? true
            : yield* settings.inbox.store([{ id: job.id, raw }]).pipe(
                Effect.as(true),
                Effect.catchAll((error) =>
                  Effect.as(
                    (settings.onWriteFailed ?? logWriteFailed)("store an update in the inbox", error),
                    false,
                  ),
                ),
              )
        if (!stored) return yield* handleUnstored(settings.scheduler, job)
        const submitted = yield* settings.scheduler.submit(job)
        return submitted === "closed" || submitted === "busy" ? text(503, "try again later") : text(200, "ok")
      }),
  }
}

/** Handles an update the inbox refused, and answers 200 once it is handled (503 if it was not). */
const handleUnstored = (scheduler: UpdateQueue, job: Job) =>
  Effect.gen(function* () {
    const handled = yield* Deferred.make<boolean>()
    const submitted = yield* scheduler.submit({
      ...job,
      work: Effect.onExit(job.work, (exit) => Deferred.succeed(handled, Exit.isSuccess(exit))),
    })
    if (submitted === "duplicate") return text(200, "ok")
    if (submitted !== "accepted") return text(503, "try again later")
    const done = yield* Deferred.await(handled).pipe(
      Effect.timeoutTo({ duration: UNSTORED_WAIT, onTimeout: () => false, onSuccess: (ok) => ok }),
    )
    return done ? text(200, "ok") : text(503, "try again later")
  })

/** setWebhook at start: retried with backoff while Telegram or the network is in trouble; 401 stops the bot. */
export const registerWebhook = (base: string, token: Redacted.Redacted<string>) =>
  Effect.gen(function* () {
    const api = yield* BotApi
    yield* api
      .call(
        "setWebhook",
        {
          url: webhookUrl(base, token),
          secret_token: Redacted.value(webhookSecret(token)),
          allowed_updates: ALLOWED_UPDATES,
          drop_pending_updates: false,
        },
        Schema.Unknown,
      )
      .pipe(
        Effect.tapError((failure) =>
          isTokenRejected(failure)
            ? Effect.void
            : Effect.logWarning(
                `setWebhook failed: ${failure._tag === "BotApiError" ? `${failure.code} ${failure.description}` : failure.detail}`,
              ),
        ),
        Effect.retry({
          schedule: Schedule.exponential(Duration.seconds(1)).pipe(
            Schedule.union(Schedule.spaced(Duration.minutes(1))),
          ),
          while: (failure: BotApiFailure) => !isTokenRejected(failure),
        }),
        Effect.catchAll(() => Effect.fail(new BotStopped({ reason: TOKEN_REJECTED }))),
      )
    const scheme = base.startsWith("http://") ? "plain http, as a local Bot API server delivers it" : "https"
    yield* Effect.logInfo(
      `webhook set: ${base.replace(/\/+$/, "")}/telegram/… (updates arrive by webhook, ${scheme})`,
    )
  })

/** Webhook mode: register, then serve until interrupted; on shutdown let in-flight updates finish. */
export const serveWebhook = (options: {
  readonly base: string
  readonly token: Redacted.Redacted<string>
  readonly scheduler: UpdateQueue
  readonly onStopping?: Effect.Effect<void>
  readonly shutdownDeadline: Duration.DurationInput
}) =>
  registerWebhook(options.base, options.token).pipe(
    Effect.zipRight(Effect.never),
    Effect.onInterrupt(() =>
      (options.onStopping ?? Effect.void).pipe(
        Effect.zipRight(options.scheduler.close(options.shutdownDeadline)),
        Effect.flatMap((unfinished) =>
          unfinished === 0
            ? Effect.logInfo("every update in flight was handled")
            : Effect.logWarning(`${unfinished} update(s) unfinished at the deadline`),
        ),
      ),
    ),
  )
