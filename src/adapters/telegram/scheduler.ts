import { Cause, Effect, FiberSet, Layer, type Scope } from "effect"
import type { StorageError } from "../../application/ports/storage-error.ts"
import { StorageHealth } from "../../application/ports/storage-health.ts"
import { UpdateJournal } from "../../application/ports/update-journal.ts"
import {
  closeQueue,
  type Job,
  makeProgress,
  type Submitted,
  type UpdateQueue,
  UpdateQueues,
} from "../system/update-queue.ts"
import { armWatchdog } from "../system/watchdog.ts"

export type SchedulerSettings = {
  /** Updates handled at the same time, across chats (MAX_UPDATES_IN_FLIGHT). */
  readonly maxInFlight: number
  /** Updates accepted but not finished before `submit` answers "busy" (a webhook then asks Telegram to retry). */
  readonly maxBacklog?: number
  /** Told when a handled update could not be recorded (StorageHealth.writeFailed); by default logged. */
  readonly onWriteFailed?: WriteFailed
}

/** What delivery does with a write that failed: tell the storage's health (which logs it). */
export type WriteFailed = (operation: string, error: StorageError) => Effect.Effect<void>

export const logWriteFailed: WriteFailed = (operation, error) =>
  Effect.logError(`could not write (${operation})`, error.detail)

/**
 * The per-chat order scheduler shared by polling and webhook mode: updates of one chat run one after the
 * other in arrival order, different chats side by side, at most `maxInFlight` at once. An update already
 * handled (in the journal) or already waiting is not taken again; a finished one is recorded in the journal.
 */
export const makeUpdateScheduler = (
  settings: SchedulerSettings,
): Effect.Effect<UpdateQueue, never, UpdateJournal | Scope.Scope> =>
  Effect.gen(function* () {
    const journal = yield* UpdateJournal
    const fibers = yield* FiberSet.make()
    /**
     * Forks into `fibers` with the fiber refs of the scheduler's maker, not of the forking fiber: a finished
     * update starts the chat's next one, and forking from it would make each job the child of the one before.
     * Effect keeps a stack of values per fiber ref, one entry per fiber that set it, so a chain of thousands
     * of jobs copied stacks tens of entries deep at every fork and `locally` (bench/RESULTS.md has the figures).
     */
    const runFork = yield* FiberSet.runtime(fibers)<never>()
    const fork = (effect: Effect.Effect<void>) => runFork(effect, { immediate: false })
    const maxBacklog = settings.maxBacklog ?? settings.maxInFlight * 16
    const writeFailed = settings.onWriteFailed ?? logWriteFailed
    type Waiting = { readonly job: Job; readonly callOff: Effect.Effect<void> | undefined }
    const queues = new Map<number | string, Array<Waiting>>()
    const accepted = new Set<number>()
    const { finished: wake, progress } = makeProgress()
    let open = true
    /** Past the shutdown deadline: what is left is interrupted, nothing more starts. */
    let stopped = false

    const finished = (id: number) => {
      accepted.delete(id)
      // O(1) per update whatever the backlog (polling waits here with one listener at most)
      wake()
    }

    /**
     * Chats with an update to run and none running, first come first served; at most maxInFlight run.
     * A fiber is started only for an update that runs now: with a thousand updates waiting, none of them
     * waits on a semaphore (whose release wakes every waiter: quadratic work under load).
     */
    const ready: Array<number | string> = []
    let readyHead = 0
    let running = 0

    /**
     * Runs the chat's next update, then passes the chat on: its next update (if any) gets in line while this
     * one's record goes to disk (records of many updates share one sync). The update counts as finished
     * only once it is recorded.
     */
    const runNext = (key: number | string): Effect.Effect<void> =>
      Effect.suspend(() => {
        const queue = queues.get(key)
        const waiting = queue?.[0]
        if (queue === undefined || waiting === undefined) {
          running--
          return Effect.void
        }
        const { job, callOff } = waiting
        let passed = false
        const passOn = Effect.suspend(() => {
          if (passed) return Effect.void
          passed = true
          queue.shift()
          running--
          if (queue.length > 0) ready.push(key)
          else queues.delete(key)
          return startReady
        })
        return Effect.gen(function* () {
          yield* job.work.pipe(
            // failed for good: logged, and done with (delivering it again would fail the same way)
            Effect.catchAllCause((cause) =>
              Effect.logError("an update failed outside the bot", Cause.pretty(cause)),
            ),
          )
          if (callOff !== undefined) yield* callOff
          yield* passOn
          yield* journal
            .record(job.id)
            .pipe(Effect.catchAll((error) => writeFailed("record handled update", error)))
          finished(job.id)
        }).pipe(Effect.ensuring(passOn))
      })

    /** Starts updates of chats in line while fewer than maxInFlight run. */
    const startReady: Effect.Effect<void> = Effect.sync(() => {
      if (stopped) return
      while (running < settings.maxInFlight && readyHead < ready.length) {
        const key = ready[readyHead] as number | string
        readyHead++
        running++
        // interruptible whatever the caller is (polling takes a batch uninterruptibly): close() must be able to stop it
        fork(Effect.interruptible(runNext(key)))
      }
      if (readyHead > 1024 && readyHead * 2 > ready.length) {
        ready.splice(0, readyHead)
        readyHead = 0
      }
    })

    return {
      storesUpdates: false,
      submit: (job: Job): Effect.Effect<Submitted> =>
        Effect.gen(function* () {
          if (!open) return "closed"
          if (accepted.has(job.id)) return "duplicate"
          if (accepted.size >= maxBacklog) return "busy"
          accepted.add(job.id)
          const seen = yield* journal
            .has(job.id)
            .pipe(
              Effect.catchAll((error) =>
                Effect.logWarning("could not read the update journal", error.detail).pipe(Effect.as(false)),
              ),
            )
          if (seen) {
            finished(job.id)
            return "duplicate"
          }
          // the watchdog counts from arrival, however long the chat's earlier updates take; past the
          // shutdown deadline it no longer acts
          const callOff =
            job.watchdog === undefined
              ? undefined
              : armWatchdog(job.watchdog, (act) => (stopped ? undefined : fork(act)))
          const queue = queues.get(job.key)
          if (queue !== undefined) queue.push({ job, callOff })
          else {
            queues.set(job.key, [{ job, callOff }])
            ready.push(job.key)
            yield* startReady
          }
          return "accepted"
        }),
      /**
       * Whether the update is already in hand or handled: polling asks again for updates still in flight
       * (the offset waits for them), and this spares decoding them again only to be told "duplicate".
       */
      seen: (id: number): Effect.Effect<boolean> =>
        accepted.has(id) ? Effect.succeed(true) : journal.has(id).pipe(Effect.orElseSucceed(() => false)),
      /** Ids accepted and not finished yet (an update interrupted by `close` stays here). */
      inFlight: (): ReadonlySet<number> => accepted,
      progress,
      /**
       * Stops taking updates and waits up to `deadline` for the accepted ones to finish; what is still
       * running then is interrupted (it was not recorded, so it will be delivered again). Answers how many.
       */
      close: closeQueue({
        stop: () => {
          open = false
        },
        pending: () => accepted.size,
        progress,
        fibers,
        stopped: () => {
          stopped = true
        },
      }),
    }
  })

/** The queue of a bot process that handles its updates itself (files, or PostgreSQL with polling). */
export const InProcessQueues = (settings: Omit<SchedulerSettings, "onWriteFailed">) =>
  Layer.effect(
    UpdateQueues,
    Effect.gen(function* () {
      const journal = yield* UpdateJournal
      const { writeFailed } = yield* StorageHealth
      return {
        make: () =>
          makeUpdateScheduler({ ...settings, onWriteFailed: writeFailed }).pipe(
            Effect.provideService(UpdateJournal, journal),
          ),
      }
    }),
  )
