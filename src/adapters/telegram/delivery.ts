import { Duration, Effect, Option, type Redacted } from "effect"
import type { Route } from "../http/server.ts"
import { makeUpdateJobs } from "./dispatch.ts"
import { pollUpdates } from "./polling.ts"
import { makeUpdateScheduler } from "./scheduler.ts"
import { serveWebhook, webhookRoute } from "./webhook.ts"

export type DeliverySettings = {
  /** Public https base address for webhook mode; none = long polling. */
  readonly webhook: Option.Option<{ readonly base: string; readonly token: Redacted.Redacted<string> }>
  readonly maxInFlight: number
  readonly shutdownSeconds: number
}

/**
 * How updates reach the bot, polling or webhook, through one per-chat scheduler. Gives the HTTP routes
 * the mode needs (the webhook) and the loop to run; `run` ends only by interruption (or a refused token),
 * after in-flight updates finished.
 */
export const makeDelivery = (settings: DeliverySettings) =>
  Effect.gen(function* () {
    const scheduler = yield* makeUpdateScheduler({ maxInFlight: settings.maxInFlight })
    const toJob = yield* makeUpdateJobs
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
