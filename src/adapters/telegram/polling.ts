import { Duration, Effect, Schema } from "effect"
import { BotApi, type BotApiFailure } from "./bot-api.ts"
import { dispatchUpdate } from "./dispatch.ts"
import { ALLOWED_UPDATES, chatOf, decodeUpdate, UpdateId } from "./updates.ts"

export const LONG_POLL_SECONDS = 30

/** The bot cannot go on: the operator must act (the token was refused). */
export class BotStopped extends Schema.TaggedError<BotStopped>()("BotStopped", { reason: Schema.String }) {}

/**
 * Updates of one chat in arrival order, different chats side by side. Every update of the batch
 * is finished (or failed for good and logged) before the caller confirms the batch's offset.
 */
export const handleBatch = (updates: ReadonlyArray<unknown>, concurrency = 64) => {
  const byChat = new Map<number | string, Array<unknown>>()
  updates.forEach((raw, index) => {
    const decoded = decodeUpdate(raw)
    const key = (decoded._tag === "Right" ? chatOf(decoded.right) : undefined) ?? `update-${index}`
    byChat.set(key, [...(byChat.get(key) ?? []), raw])
  })
  return Effect.forEach(
    byChat.values(),
    (chatUpdates) => Effect.forEach(chatUpdates, dispatchUpdate, { discard: true }),
    {
      concurrency,
      discard: true,
    },
  )
}

const explain = (failure: BotApiFailure): string =>
  failure._tag === "BotApiUnreachable"
    ? `Bot API unreachable: ${failure.detail}`
    : failure.code === 409
      ? "Telegram refused getUpdates with 409: a webhook is set or another instance of the bot is polling. Backing off."
      : `getUpdates failed: ${failure.code} ${failure.description}`

/** Long polling: getUpdates, handle, confirm the offset; network errors never end the loop. */
export const pollUpdates = Effect.gen(function* () {
  const api = yield* BotApi
  yield* api
    .call("deleteWebhook", { drop_pending_updates: false }, Schema.Unknown)
    .pipe(
      Effect.catchAll((failure) =>
        failure._tag === "BotApiError" && failure.code === 401 ? Effect.fail(failure) : Effect.void,
      ),
    )
  yield* Effect.logInfo("polling for updates")
  let offset = 0
  let failures = 0
  for (;;) {
    const batch = yield* api
      .call(
        "getUpdates",
        { offset, timeout: LONG_POLL_SECONDS, allowed_updates: ALLOWED_UPDATES },
        Schema.Array(Schema.Unknown),
        {
          longPoll: LONG_POLL_SECONDS,
        },
      )
      .pipe(
        Effect.tap(() => {
          failures = 0
        }),
        Effect.catchAll((failure) => {
          if (failure._tag === "BotApiError" && failure.code === 401) return Effect.fail(failure)
          failures += 1
          return Effect.logWarning(explain(failure)).pipe(
            Effect.zipRight(
              Effect.sleep(Duration.millis(Math.min(30_000, 1000 * 2 ** Math.min(failures - 1, 5)))),
            ),
            Effect.as([] as ReadonlyArray<unknown>),
          )
        }),
      )
    yield* handleBatch(batch)
    const ids = batch.flatMap((raw) => (Schema.is(UpdateId)(raw) ? [raw.update_id] : []))
    if (ids.length > 0) offset = Math.max(...ids) + 1
  }
}).pipe(
  Effect.catchTag("BotApiError", () =>
    Effect.fail(new BotStopped({ reason: "BOT_TOKEN rejected by Telegram" })),
  ),
)
