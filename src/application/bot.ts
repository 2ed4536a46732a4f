import { Context, Effect, Layer } from "effect"
import type { Announcements } from "./announcements.ts"
import type { BroadcastRunner } from "./broadcast.ts"
import { handleIncoming } from "./handle-update.ts"
import type { Handled, Incoming } from "./incoming.ts"
import type { Admins } from "./ports/admins.ts"
import type { BroadcastStore } from "./ports/broadcast-store.ts"
import type { ChartRenderer } from "./ports/chart-renderer.ts"
import type { Clock } from "./ports/clock.ts"
import type { DraftStore } from "./ports/draft-store.ts"
import type { EnrolmentStore } from "./ports/enrolment-store.ts"
import type { FlagStore } from "./ports/flag-store.ts"
import type { Ids } from "./ports/ids.ts"
import type { Messenger } from "./ports/messenger.ts"
import type { OrderStore } from "./ports/order-store.ts"
import type { Shop } from "./ports/shop.ts"
import type { StorageHealth } from "./ports/storage-health.ts"
import type { StudentDirectory } from "./ports/student-directory.ts"
import type { StudentRepository } from "./ports/student-repository.ts"

/**
 * The bot as the adapters see it: one event in, handled. Decorators (rate limit, metrics) wrap this
 * service as Layers, so the use cases never know they exist. Never fails: failures become error IDs.
 */
export class Bot extends Context.Tag("Bot")<
  Bot,
  { readonly handle: (incoming: Incoming) => Effect.Effect<Handled> }
>() {}

export type BotPorts =
  | StudentRepository
  | DraftStore
  | Messenger
  | Clock
  | Ids
  | Shop
  | Admins
  | EnrolmentStore
  | OrderStore
  | FlagStore
  | BroadcastStore
  | StudentDirectory
  | BroadcastRunner
  | Announcements
  | StorageHealth
  | ChartRenderer

export const BotLive: Layer.Layer<Bot, never, BotPorts> = Layer.effect(
  Bot,
  Effect.gen(function* () {
    const ports = yield* Effect.context<BotPorts>()
    return Bot.of({ handle: (incoming) => handleIncoming(incoming).pipe(Effect.provide(ports)) })
  }),
)
