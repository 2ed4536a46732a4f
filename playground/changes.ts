import { type Duration, Effect } from "effect"
import type { EmulatorEvent } from "./emulator-types.ts"

export type Toast = { readonly id: number; readonly text: string; readonly alert: boolean }

/**
 * What the playground page waits for: a version number that grows with every change a person could see
 * (a student's update, a call the bot made), and the toasts the bot answered button presses with.
 */
export const createChangeFeed = (onChange: (listener: (event: EmulatorEvent) => void) => () => void) => {
  // starts above 0, so a page that knows nothing yet (version 0) is answered at once
  let version = 1
  let closed = false
  let toastCount = 0
  const waiters = new Set<() => void>()
  const pressedBy = new Map<string, number>()
  const toasts = new Map<number, Toast>()

  const bump = () => {
    version += 1
    for (const wake of waiters) wake()
    waiters.clear()
  }

  const unsubscribe = onChange((event) => {
    // a long poll answering is no news; everything else may change what someone sees
    if (event.type === "poll" || (event.type === "call" && event.call.method === "getUpdates")) return
    if (event.type === "call" && event.call.method === "answerCallbackQuery" && event.call.status === 200) {
      const { callback_query_id, text, show_alert } = event.call.params
      const userId = pressedBy.get(String(callback_query_id))
      if (userId !== undefined && typeof text === "string" && text !== "") {
        toasts.set(userId, {
          id: ++toastCount,
          text,
          alert: show_alert === true || show_alert === "true",
        })
      }
    }
    bump()
  })

  return {
    version: (): number => version,
    /** Something outside the emulator changed (e.g. a persona was added). */
    bump,
    /** Remembers who pressed a button, so the bot's answer shows up as a toast on their screen. */
    pressed: (queryId: string, userId: number): void => {
      pressedBy.set(queryId, userId)
    },
    /** The latest toast for a student, if any. */
    toast: (userId: number): Toast | undefined => toasts.get(userId),
    /** Completes once the version is past `since`, after `timeout`, or when the feed closes. */
    after: (since: number, timeout: Duration.DurationInput): Effect.Effect<number> =>
      Effect.async<number>((resume) => {
        if (version > since || closed) {
          resume(Effect.succeed(version))
          return
        }
        const wake = () => resume(Effect.sync(() => version))
        waiters.add(wake)
        return Effect.sync(() => waiters.delete(wake))
      }).pipe(Effect.timeoutTo({ duration: timeout, onTimeout: () => version, onSuccess: (now) => now })),
    /** Wakes every waiting page and stops listening: the server is going away. */
    close: (): void => {
      closed = true
      unsubscribe()
      bump()
    },
  }
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>
