import { Duration, Effect, Either } from "effect"
import { Bot } from "../../application/bot.ts"
import { Messenger } from "../../application/ports/messenger.ts"
import type { Job } from "../system/update-queue.ts"
import { chatOf, decodeUpdate, toIncoming, updateIdOf } from "./updates.ts"

/** A pressed button's spinner is stopped by then at the latest (Telegram's answer takes the rest of 1 s). */
export const ANSWER_BUTTON_WITHIN = Duration.millis(800)

/**
 * Turns raw updates into scheduler jobs: decode, route to the Bot, and answer a pressed button exactly
 * once — with the bot's notice when handling is quick, with an empty answer at ANSWER_BUTTON_WITHIN
 * otherwise (the later notice is then dropped). An update kind the bot does not serve is skipped.
 */
export const makeUpdateJobs = Effect.gen(function* () {
  const bot = yield* Bot
  const messenger = yield* Messenger

  return (raw: unknown): Job | undefined => {
    const id = updateIdOf(raw)
    if (id === undefined) return undefined
    const decoded = decodeUpdate(raw)
    const update = Either.getOrUndefined(decoded)
    const queryId = update?.callback_query?.id
    let answered = false
    const answer = (notice: string | undefined) =>
      Effect.suspend(() => {
        if (queryId === undefined || answered) return Effect.void
        answered = true
        // once begun, the answer is finished even if the watchdog that began it is called off
        return messenger.answerButton(queryId, notice).pipe(
          Effect.catchAll((error) => Effect.logWarning("could not answer a button press", error.detail)),
          Effect.uninterruptible,
        )
      })

    const work = Effect.gen(function* () {
      if (update === undefined) {
        yield* Effect.logWarning(`skipped update ${id}: it does not decode`)
        return
      }
      const incoming = toIncoming(update)
      if (incoming === undefined) {
        yield* Effect.logDebug(`skipped update ${id}: not for this bot`)
        return
      }
      const handled = yield* bot.handle(incoming)
      yield* answer(handled.notice)
    }).pipe(Effect.ensuring(answer(undefined)))

    return {
      id,
      key: (update === undefined ? undefined : chatOf(update)) ?? `update-${id}`,
      work,
      raw,
      ...(queryId === undefined ? {} : { watchdog: { after: ANSWER_BUTTON_WITHIN, act: answer(undefined) } }),
    }
  }
})
