import { Effect, Either } from "effect"
import { Bot } from "../../application/bot.ts"
import { Messenger } from "../../application/ports/messenger.ts"
import { decodeUpdate, toIncoming } from "./updates.ts"

/**
 * Handles one raw update: decode, route to the use cases, and answer a pressed button exactly once,
 * whatever happened while handling it. An update kind the bot does not serve is skipped.
 */
export const dispatchUpdate = Effect.fn("Telegram.dispatch")(function* (raw: unknown) {
  const decoded = decodeUpdate(raw)
  if (Either.isLeft(decoded)) {
    yield* Effect.logWarning("skipped an update that does not decode")
    return
  }
  const incoming = toIncoming(decoded.right)
  if (incoming === undefined) {
    yield* Effect.logDebug(`skipped update ${decoded.right.update_id}: not for this bot`)
    return
  }
  const handled = yield* (yield* Bot).handle(incoming)
  if (incoming.event._tag === "Button") {
    const messenger = yield* Messenger
    yield* messenger
      .answerButton(incoming.event.queryId, handled.notice)
      .pipe(Effect.catchAll((error) => Effect.logWarning("could not answer a button press", error.detail)))
  }
})
