import { Effect } from "effect"
import { Messenger, type MessengerError } from "./ports/messenger.ts"

/**
 * A messenger that holds every call until `release`, for handling an update while storage refuses writes:
 * if the handling then fails on a write, nothing it meant to say went out (no next question for a step that
 * was not stored), and the student gets one "storage is full" answer instead. A held send answers message
 * id 0: stored nowhere, since a write that could store it fails while storage refuses writes.
 */
export const holdMessenger = (real: Messenger["Type"]) => {
  const held: Array<Effect.Effect<unknown, MessengerError>> = []
  const hold =
    <P extends ReadonlyArray<unknown>, A>(
      call: (...args: P) => Effect.Effect<A, MessengerError>,
      answer: A,
    ) =>
    (...args: P) =>
      Effect.sync(() => {
        held.push(Effect.suspend(() => call(...args)))
        return answer
      })
  const messenger = Messenger.of({
    send: hold(real.send, 0),
    edit: hold(real.edit, undefined),
    clearButtons: hold(real.clearButtons, undefined),
    answerButton: hold(real.answerButton, undefined),
    sendPhoto: hold(real.sendPhoto, 0),
    sendDocument: hold(real.sendDocument, 0),
    sendImage: hold(real.sendImage, 0),
    broadcast: hold(real.broadcast, 0),
    setCommands: hold(real.setCommands, undefined),
  })
  /** Makes the held calls in order; one that fails is logged and the others still go out. */
  const release = Effect.forEach(
    held,
    (call) =>
      call.pipe(
        Effect.catchAll((error) =>
          Effect.logWarning(`${error.method} failed after storage was back`, error.detail),
        ),
      ),
    { discard: true },
  )
  return { messenger, release }
}
