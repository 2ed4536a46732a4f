import { Duration, Effect, Option, type Redacted, type Scope } from "effect"
import type { Route } from "../http/server.ts"
import { makeUpdateJobs } from "./dispatch.ts"
import { pollUpdates } from "./polling.ts"
import { type Job, makeUpdateScheduler, type UpdateScheduler } from "./scheduler.ts"
import { serveWebhook, webhookRoute } from "./webhook.ts"

export type DeliverySettings = {
  /** Public https base address for webhook mode; none = long polling. */
  readonly webhook: Option.Option<{ readonly base: string; readonly token: Redacted.Redacted<string> }>
  readonly maxInFlight: number
  readonly shutdownSeconds: number
  /** Replaces the in-process scheduler in webhook mode (several replicas: the PostgreSQL inbox). */
  readonly webhookScheduler?: (
    toJob: (raw: unknown) => Job | undefined,
  ) => Effect.Effect<UpdateScheduler, never, Scope.Scope>
}

/**
 * How updates reach the bot, polling or webhook, through one per-chat scheduler. Gives the HTTP routes
 * the mode needs (the webhook) and the loop to run; `run` ends only by interruption (or a refused token),
 * after in-flight updates finished.
 */
export const makeDelivery = (settings: DeliverySettings) =>
  Effect.gen(function* () {
    const toJob = yield* makeUpdateJobs
    const scheduler =
      settings.webhookScheduler !== undefined && Option.isSome(settings.webhook)
        ? yield* settings.webhookScheduler(toJob)
        : yield* makeUpdateScheduler({ maxInFlight: settings.maxInFlight })
    const shutdownDeadline = Duration.seconds(settings.shutdownSeconds)
    const routes: ReadonlyArray<Route> = Option.match(settings.webhook, {
      onNone: () => [],
      onSome: ({ base, token }) => [webhookRoute({ base, token, scheduler, toJob })],
    })
    const run = (onStopping: Effect.Effect<void>) =>
      Option.match(settings.webhook, {
        onNone: () => pollUpdates({ scheduler, toJob, onStopping, shutdownDeadline }),
        onSome: ({ base, token }) => serveWebhook({ base, token, scheduler, onStopping, shutdownDeadline }),
      })
    return { routes, run, scheduler }
  })
