import { Context, Effect, Layer } from "effect"
import type { Handled, Incoming } from "./common/incoming.ts"
import { handleIncoming } from "./handle-update.ts"
import type { BotPorts } from "./ports/bot-ports.ts"

/**
 * The bot as the adapters see it: one event in, handled. Decorators (rate limit, metrics) wrap this
 * service as Layers, so the use cases never know they exist. Never fails: failures become error IDs.
 */
export class Bot extends Context.Tag("Bot")<
  Bot,
  { readonly handle: (incoming: Incoming) => Effect.Effect<Handled> }
>() {}

export const BotLive: Layer.Layer<Bot, never, BotPorts> = Layer.effect(
  Bot,
  Effect.gen(function* () {
    const ports = yield* Effect.context<BotPorts>()
    return Bot.of({ handle: (incoming) => handleIncoming(incoming).pipe(Effect.provide(ports)) })
  }),
)
