import { Context, Duration, Effect, FiberSet, type Scope } from "effect"
import type { Watchdog } from "./watchdog.ts"

/** One update to handle: `key` orders it (its chat), `id` keeps it from being handled twice. */
export type Job = {
  readonly id: number
  readonly key: number | string
  readonly work: Effect.Effect<void>
  /** Armed from the job's arrival until it ends. */
  readonly watchdog?: Watchdog
  /** The update as received: what another replica needs to handle it (the PostgreSQL inbox stores it). */
  readonly raw?: unknown
}

export type Submitted = "accepted" | "duplicate" | "closed" | "busy"

/**
 * Where polling and the webhook hand updates over, and what they ask of it; how the updates are then handled
 * — one chat's in order, different chats side by side — is the queue's: the per-chat scheduler of this
 * process (telegram/scheduler.ts), or the PostgreSQL inbox that replicas share (postgres/inbox.ts).
 */
export type UpdateQueue = {
  /** Takes an update: "duplicate" if it was had before, "busy" to be delivered again later. */
  readonly submit: (job: Job) => Effect.Effect<Submitted>
  /** Whether the update is in hand or handled already (polling's question before it decodes one again). */
  readonly seen: (id: number) => Effect.Effect<boolean>
  /** Updates taken and not finished yet in this process (polling's offset waits for them). */
  readonly inFlight: () => ReadonlySet<number>
  /** Waits until an update finishes (or `timeout`). */
  readonly progress: (timeout: Duration.DurationInput) => Effect.Effect<void>
  /** Stops taking updates, lets those in hand finish until `deadline`; answers how many did not. */
  readonly close: (deadline: Duration.DurationInput) => Effect.Effect<number>
  /** The queue stores each update itself before it answers `submit` (no file inbox is needed in front). */
  readonly storesUpdates: boolean
}

/** Makes the process's queue, given how a stored update becomes a job again (`toJob`, from the bot's handlers). */
export class UpdateQueues extends Context.Tag("UpdateQueues")<
  UpdateQueues,
  {
    readonly make: (
      toJob: (raw: unknown) => Job | undefined,
    ) => Effect.Effect<UpdateQueue, never, Scope.Scope>
  }
>() {}

/**
 * What a queue's `progress` waits on: `finished()` wakes every waiter (O(1) when none waits), `progress`
 * waits for the next one, or `timeout`. The timeout is a timer of its own, not Effect.timeout: a queue's
 * close runs in a shutdown finalizer, where nothing can be interrupted, and Effect.timeout would then wait
 * for the next finished update however long that takes — forever, when none is left to finish.
 */
export const makeProgress = () => {
  const listeners = new Set<() => void>()
  return {
    finished: (): void => {
      if (listeners.size > 0) for (const listener of [...listeners]) listener()
    },
    progress: (timeout: Duration.DurationInput): Effect.Effect<void> =>
      Effect.async<void>((resume) => {
        const done = () => {
          listeners.delete(done)
          clearTimeout(timer)
          resume(Effect.void)
        }
        const timer = setTimeout(done, Duration.toMillis(Duration.decode(timeout)))
        listeners.add(done)
        return Effect.sync(() => {
          listeners.delete(done)
          clearTimeout(timer)
        })
      }),
  }
}

/**
 * Waits until `deadline` while `pending()` is above 0, waking on `progress` (and at least every 20 ms, for
 * work that ends without finishing an update); answers what is still pending then.
 */
export const awaitPending = (
  pending: () => number,
  deadline: Duration.DurationInput,
  progress: (timeout: Duration.DurationInput) => Effect.Effect<void>,
): Effect.Effect<number> =>
  Effect.gen(function* () {
    const end = Date.now() + Duration.toMillis(deadline)
    while (pending() > 0 && Date.now() < end) yield* progress(Math.min(end - Date.now(), 20))
    return pending()
  })

/**
 * A queue's close: `stop` taking updates, let the pending ones finish until `deadline`, then interrupt what
 * still runs in `fibers` (`stopped` is told before). Answers how many were left unfinished.
 */
export const closeQueue =
  (queue: {
    readonly stop: () => void
    readonly pending: () => number
    readonly progress: (timeout: Duration.DurationInput) => Effect.Effect<void>
    readonly fibers: FiberSet.FiberSet
    readonly stopped?: () => void
  }) =>
  (deadline: Duration.DurationInput): Effect.Effect<number> =>
    Effect.gen(function* () {
      queue.stop()
      const unfinished = yield* awaitPending(queue.pending, deadline, queue.progress)
      queue.stopped?.()
      yield* FiberSet.clear(queue.fibers)
      return unfinished
    })
