import { Cause, Effect, Option } from "effect"
import type { Handled, Incoming } from "./common/incoming.ts"
import { MENU_TEXTS } from "./common/menu-texts.ts"
import { useCase } from "./common/use-case.ts"
import { holdMessenger } from "./held-messenger.ts"
import { Ids } from "./ports/ids.ts"
import { Messenger } from "./ports/messenger.ts"
import { writeRefusal } from "./ports/storage-error.ts"
import { StorageHealth } from "./ports/storage-health.ts"
import { route } from "./router.ts"

/**
 * Handles one event end to end. Nothing escapes: an unexpected failure gets an error ID, is logged
 * with its cause, and the student is told in one sentence with that ID.
 */
export const handleIncoming = useCase("Bot.handle")(function* (incoming: Incoming) {
  const health = yield* StorageHealth
  const messenger = yield* Messenger
  // While storage refuses writes, what the handling says waits for it to succeed (see holdMessenger).
  const held = (yield* health.failing) ? holdMessenger(messenger) : undefined
  const handling =
    held === undefined
      ? route(incoming)
      : route(incoming).pipe(Effect.provideService(Messenger, held.messenger), Effect.tap(held.release))
  return yield* handling.pipe(
    Effect.map((handled): Handled => handled),
    Effect.catchAllCause((cause) =>
      Effect.gen(function* () {
        const id = yield* (yield* Ids).next
        const failure = Cause.failureOption(cause)
        const storage =
          Option.isSome(failure) && failure.value._tag === "StorageError" ? failure.value : undefined
        const refused = storage === undefined ? undefined : writeRefusal(storage)
        if (storage !== undefined && refused !== undefined) {
          // the storage refuses writes (a full disk): nothing was stored, the student may try again later
          yield* health.writeFailed(storage.operation, storage)
          yield* Effect.logWarning(
            `update refused [${id}]: ${refused === "full" ? "the disk is full" : "storage is not writable"}`,
            storage.detail,
          ).pipe(Effect.annotateLogs({ errorId: id, userId: incoming.userId }))
          const text = refused === "full" ? MENU_TEXTS.storageFull(id) : MENU_TEXTS.storageUnwritable(id)
          yield* messenger.send(incoming.chatId, { text }).pipe(Effect.ignore)
          return incoming.event._tag === "Button" ? { notice: MENU_TEXTS.notStored } : {}
        }
        yield* Effect.logError(`update failed [${id}]`, Cause.pretty(cause)).pipe(
          Effect.annotateLogs({ errorId: id, userId: incoming.userId }),
        )
        const text = MENU_TEXTS.unexpectedError(id)
        if (incoming.event._tag === "Button") return { notice: text } satisfies Handled
        yield* messenger.send(incoming.chatId, { text }).pipe(Effect.ignore)
        return {} satisfies Handled
      }),
    ),
  )
})
