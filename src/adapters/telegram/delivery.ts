import { Duration, Effect, Option, type Redacted } from "effect"
import type { UpdateInbox } from "../../application/ports/update-inbox.ts"
import type { Route } from "../http/server.ts"
import { type Job, type UpdateQueue, UpdateQueues } from "../system/update-queue.ts"
import { makeUpdateJobs } from "./dispatch.ts"
import { pollUpdates } from "./polling.ts"
import type { WriteFailed } from "./scheduler.ts"
import { serveWebhook, webhookRoute } from "./webhook.ts"

export type DeliverySettings = {
  /** Public https base address for webhook mode; none = long polling. */
  readonly webhook: Option.Option<{ readonly base: string; readonly token: Redacted.Redacted<string> }>
  /** Updates handled at once (MAX_UPDATES_IN_FLIGHT): polling takes up to 16 times as many ahead. */
  readonly maxInFlight: number
  readonly shutdownSeconds: number
  /** Stores updates on receipt (file storage): polling confirms them at once, the webhook before its 200. */
  readonly inbox?: UpdateInbox["Type"]
  /** Told of each write that failed (the inbox, the journal): StorageHealth.writeFailed. */
  readonly onWriteFailed?: WriteFailed
}

/** Updates accepted by the scheduler (waiting or running) per update handled at once. */
const BACKLOG_PER_SLOT = 16

/** At start-up, what the inbox holds and the journal does not (a crash, or a stop) is handled first, oldest first. */
const handleLeftOver = (
  inbox: UpdateInbox["Type"],
  scheduler: UpdateQueue,
  toJob: (raw: unknown) => Job | undefined,
) =>
  Effect.gen(function* () {
    const left = yield* inbox.unhandled
    if (left.length === 0) return
    yield* Effect.logInfo(
      `${left.length} update(s) received before the restart and not handled: handling them first`,
    )
    for (const update of left) {
      const job = toJob(update.raw)
      if (job === undefined) continue
      while ((yield* scheduler.submit(job)) === "busy") yield* scheduler.progress(Duration.seconds(1))
    }
  }).pipe(Effect.catchAll((error) => Effect.logError("could not read the update inbox", error.detail)))

/**
 * How updates reach the bot, polling or webhook, through the process's update queue. Gives the HTTP routes
 * the mode needs (the webhook) and the loop to run; `run` ends only by interruption (or a refused token),
 * after in-flight updates finished.
 */
export const makeDelivery = (settings: DeliverySettings) =>
  Effect.gen(function* () {
    const toJob = yield* makeUpdateJobs
    const capacity = settings.maxInFlight * BACKLOG_PER_SLOT
    // the process's queue (UpdateQueues: its own scheduler, or the replicas' PostgreSQL inbox); the file
    // inbox stores updates on receipt in front of a queue that does not store them itself
    const scheduler = yield* (yield* UpdateQueues).make(toJob)
    const inbox = scheduler.storesUpdates ? undefined : settings.inbox
    const reports = settings.onWriteFailed === undefined ? {} : { onWriteFailed: settings.onWriteFailed }
    if (inbox !== undefined) yield* handleLeftOver(inbox, scheduler, toJob)
    const shutdownDeadline = Duration.seconds(settings.shutdownSeconds)
    const routes: ReadonlyArray<Route> = Option.match(settings.webhook, {
      onNone: () => [],
      onSome: ({ base, token }) => [
        webhookRoute({
          base,
          token,
          scheduler,
          toJob,
          ...reports,
          ...(inbox === undefined ? {} : { inbox }),
        }),
      ],
    })
    const run = (onStopping: Effect.Effect<void>) =>
      Option.match(settings.webhook, {
        onNone: () =>
          pollUpdates({
            scheduler,
            toJob,
            onStopping,
            shutdownDeadline,
            ...reports,
            ...(inbox === undefined ? {} : { inbox: { store: inbox.store, capacity } }),
          }),
        onSome: ({ base, token }) => serveWebhook({ base, token, scheduler, onStopping, shutdownDeadline }),
      })
    return { routes, run, scheduler }
  })
