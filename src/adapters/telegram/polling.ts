import { Duration, Effect, Schema } from "effect"
import type { ReceivedUpdate, UpdateInbox } from "../../application/ports/update-inbox.ts"
import type { Job, UpdateQueue } from "../system/update-queue.ts"
import { BotApi, type BotApiFailure } from "./bot-api.ts"
import { logWriteFailed, type WriteFailed } from "./scheduler.ts"
import { ALLOWED_UPDATES, updateIdOf } from "./updates.ts"

export const LONG_POLL_SECONDS = 30

/** Updates per getUpdates: Telegram's maximum (and default). */
const BATCH_LIMIT = 100

/** The bot cannot go on: the operator must act (the token was refused). */
export class BotStopped extends Schema.TaggedError<BotStopped>()("BotStopped", { reason: Schema.String }) {}

export const TOKEN_REJECTED = "BOT_TOKEN rejected by Telegram"

export const isTokenRejected = (failure: BotApiFailure): boolean =>
  failure._tag === "BotApiError" && failure.code === 401

const explain = (failure: BotApiFailure): string =>
  failure._tag === "BotApiUnreachable"
    ? `Bot API unreachable: ${failure.detail}`
    : failure.code === 409
      ? "Telegram refused getUpdates with 409 Conflict: a webhook is set for this bot, or another instance of it is polling. Backing off; stop the other instance (or unset its webhook)."
      : `getUpdates failed: ${failure.code} ${failure.description}`

const UpdateBatch = Schema.Array(Schema.Unknown)

export type PollingSettings = {
  readonly scheduler: UpdateQueue
  readonly toJob: (raw: unknown) => Job | undefined
  /** Runs first when shutdown begins (readiness turns 503). */
  readonly onStopping?: Effect.Effect<void>
  /** How long in-flight updates may take to finish on shutdown. */
  readonly shutdownDeadline: Duration.DurationInput
  /**
   * Stores each batch on receipt (file storage): the next getUpdates then confirms the whole batch to
   * Telegram, and fetching goes on while the scheduler has room (`capacity` updates accepted at once).
   */
  readonly inbox?: { readonly store: UpdateInbox["Type"]["store"]; readonly capacity: number }
  /** Told when the inbox could not store a batch (StorageHealth.writeFailed); by default logged. */
  readonly onWriteFailed?: WriteFailed
}

/**
 * Long polling. With an inbox, a batch is stored (one durable write) before it is handed to the scheduler,
 * and the next getUpdates' offset, one past the newest update, confirms it: a crash then loses nothing
 * (start-up handles what the inbox holds and the journal does not), and one slow update holds up no one.
 * At most `capacity` updates wait in the scheduler: the limit asked for is the room left, and with no
 * room left polling waits for an update to finish.
 *
 * When the inbox cannot store a batch (a full disk), the batch is handled all the same, and the offset
 * waits for those updates as without an inbox: Telegram keeps each until it is handled.
 *
 * Without an inbox (PostgreSQL), the offset Telegram gets confirms an update only once it is handled: it is the lowest
 * update still in flight (or one past the newest seen). Fetching goes on while updates are handled,
 * so a slow chat never holds up the others; updates fetched again while in flight are not taken twice.
 * Network errors and 409 never end the loop; 401 stops the bot. On interruption (SIGTERM), it stops
 * fetching, lets in-flight updates finish within the deadline, and confirms the offset.
 */
export const pollUpdates = (settings: PollingSettings) =>
  Effect.gen(function* () {
    const api = yield* BotApi
    const { scheduler } = settings
    let newest = 0
    const inbox = settings.inbox
    const writeFailed = settings.onWriteFailed ?? logWriteFailed
    /** Updates being handled that the inbox could not store: the offset must not pass them before they end. */
    const unstored = new Set<number>()
    const offset = () => {
      if (newest === 0) return 0
      if (inbox !== undefined && unstored.size === 0) return newest + 1
      let lowest = newest + 1
      const inFlight = scheduler.inFlight()
      if (inbox === undefined) for (const id of inFlight) lowest = Math.min(lowest, id)
      else
        for (const id of unstored) {
          if (inFlight.has(id)) lowest = Math.min(lowest, id)
          else unstored.delete(id)
        }
      return lowest
    }

    yield* api
      .call("deleteWebhook", { drop_pending_updates: false }, Schema.Unknown)
      .pipe(
        Effect.catchAll((failure) =>
          isTokenRejected(failure)
            ? Effect.fail(failure)
            : Effect.logWarning(`deleteWebhook failed: ${explain(failure)}`),
        ),
      )
    yield* Effect.logInfo("polling for updates")

    const confirmOffset = Effect.suspend(() =>
      newest === 0
        ? Effect.void
        : api.call("getUpdates", { offset: offset(), limit: 1, timeout: 0 }, UpdateBatch).pipe(
            Effect.timeout(Duration.seconds(3)),
            Effect.zipRight(Effect.logInfo(`offset confirmed: ${offset()}`)),
            Effect.catchAll(() =>
              Effect.logWarning("could not confirm the offset; Telegram will send again"),
            ),
          ),
    )

    const loop = Effect.gen(function* () {
      let failures = 0
      for (;;) {
        const room = inbox === undefined ? BATCH_LIMIT : inbox.capacity - scheduler.inFlight().size
        if (room <= 0) {
          yield* scheduler.progress(Duration.seconds(1))
          continue
        }
        // with an inbox, what is in flight is never fetched again: a long poll returns as soon as there is news
        const busy = inbox === undefined && scheduler.inFlight().size > 0
        const asked = offset()
        const fetch = api
          .call(
            "getUpdates",
            {
              offset: asked,
              limit: Math.min(BATCH_LIMIT, room),
              timeout: busy ? 0 : LONG_POLL_SECONDS,
              allowed_updates: ALLOWED_UPDATES,
            },
            UpdateBatch,
            { longPoll: busy ? 0 : LONG_POLL_SECONDS },
          )
          .pipe(
            Effect.tap(() => {
              failures = 0
            }),
            Effect.catchAll((failure) => {
              if (isTokenRejected(failure)) return Effect.fail(failure)
              failures += 1
              return Effect.logWarning(explain(failure)).pipe(
                Effect.zipRight(
                  Effect.sleep(Duration.millis(Math.min(30_000, 500 * 2 ** Math.min(failures - 1, 6)))),
                ),
                Effect.as([] as ReadonlyArray<unknown>),
              )
            }),
          )
        const take = (batch: ReadonlyArray<unknown>) =>
          Effect.gen(function* () {
            let fresh = 0
            for (const raw of batch) {
              const id = updateIdOf(raw)
              if (id !== undefined && (yield* scheduler.seen(id))) {
                newest = Math.max(newest, id)
                continue
              }
              const job = settings.toJob(raw)
              if (job === undefined) continue
              const submitted = yield* scheduler.submit(job)
              // not taken: the offset must not pass it, so Telegram sends it (and what follows) again
              if (submitted === "busy" || submitted === "closed") break
              newest = Math.max(newest, job.id)
              if (submitted === "accepted") fresh++
            }
            return { fresh, full: batch.length >= BATCH_LIMIT }
          })
        /** A batch the inbox refused is handled all the same; the offset waits for each update to end. */
        const takeUnstored = (updates: ReadonlyArray<ReceivedUpdate>) =>
          Effect.gen(function* () {
            let fresh = 0
            for (const { id, raw } of updates) {
              if (!(yield* scheduler.seen(id))) {
                const job = settings.toJob(raw)
                const submitted = job === undefined ? "skipped" : yield* scheduler.submit(job)
                if (submitted === "busy" || submitted === "closed") break
                if (submitted === "accepted") {
                  unstored.add(id)
                  fresh++
                }
              }
              newest = Math.max(newest, id)
            }
            return { fresh, full: false }
          })
        /** Stores the batch, then hands what is not in hand yet to the scheduler; the offset then passes it. */
        const store = (batch: ReadonlyArray<unknown>, save: UpdateInbox["Type"]["store"]) =>
          Effect.gen(function* () {
            const updates: Array<ReceivedUpdate> = []
            for (const raw of batch) {
              const id = updateIdOf(raw)
              if (id !== undefined) updates.push({ id, raw })
            }
            const stored = yield* save(updates).pipe(
              Effect.as(true),
              Effect.catchAll((error) => Effect.as(writeFailed("store updates in the inbox", error), false)),
            )
            if (!stored) return yield* takeUnstored(updates)
            for (const { id, raw } of updates) {
              newest = Math.max(newest, id)
              if (yield* scheduler.seen(id)) continue
              const job = settings.toJob(raw)
              // "closed" (shutting down): it is in the inbox, and handled after the restart
              if (job !== undefined) yield* scheduler.submit(job)
            }
            return { fresh: updates.length, full: false }
          })
        // A batch that arrived is taken whole, even when SIGTERM comes meanwhile: it is then drained.
        const { fresh, full } = yield* Effect.uninterruptibleMask((restore) =>
          restore(fetch).pipe(
            Effect.flatMap((batch) => (inbox === undefined ? take(batch) : store(batch, inbox.store))),
          ),
        )
        if (inbox !== undefined) {
          // what is fetched again while unstored updates are handled is in hand: wait for one to end
          if (unstored.size > 0 && fresh === 0) yield* scheduler.progress(Duration.seconds(1))
          continue
        }
        if (full) {
          // A full batch: Telegram has nothing newer to send from this offset, and the offset moves only
          // when the oldest update in flight is handled. Asking again before would fetch the same batch.
          const end = Date.now() + 1000
          while (offset() === asked && scheduler.inFlight().size > 0 && Date.now() < end)
            yield* scheduler.progress(Duration.millis(end - Date.now()))
        } else if (fresh === 0 && scheduler.inFlight().size > 0) {
          // Everything fetched is already in hand: wait for some of it to finish before asking again.
          yield* scheduler.progress(Duration.seconds(1))
        }
      }
    })

    return yield* loop.pipe(
      Effect.onInterrupt(() =>
        (settings.onStopping ?? Effect.void).pipe(
          Effect.zipRight(scheduler.close(settings.shutdownDeadline)),
          Effect.tap((unfinished) =>
            unfinished === 0
              ? Effect.logInfo("every update in flight was handled")
              : Effect.logWarning(
                  `${unfinished} update(s) unfinished at the deadline; Telegram will send them again`,
                ),
          ),
          Effect.zipRight(confirmOffset),
        ),
      ),
    )
  }).pipe(
    Effect.catchIf(
      (error): error is BotApiFailure =>
        (error._tag === "BotApiError" || error._tag === "BotApiUnreachable") && isTokenRejected(error),
      () => Effect.fail(new BotStopped({ reason: TOKEN_REJECTED })),
    ),
  )
