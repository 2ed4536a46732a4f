import { Cause, Duration, Effect, FiberSet, Layer, Runtime, Schedule, type Scope } from "effect"
import type { StorageError } from "../../application/ports/storage-error.ts"
import { makePermits } from "../system/permits.ts"
import {
  closeQueue,
  type Job,
  makeProgress,
  type Submitted,
  type UpdateQueue,
  UpdateQueues,
} from "../system/update-queue.ts"
import { armWatchdog } from "../system/watchdog.ts"
import {
  CurrentPrefetch,
  CurrentTransaction,
  Database,
  type Prefetched,
  prefetch,
  query,
  savepoints,
  type Transaction,
} from "./database.ts"
import {
  claimHead,
  countAttempt,
  leftOverChats,
  markHandled,
  REPLICA_LOCK,
  settled,
  storeUpdate,
} from "./inbox-statements.ts"

export type InboxSettings = {
  /** Names this replica in `updates.handled_by`. */
  readonly replica: string
  /** Rebuilds a job from a stored update (any replica can handle any update). */
  readonly toJob: (raw: unknown) => Job | undefined
  /** Updates handled at once by this replica; each holds a connection (keep below the pool size). */
  readonly maxInFlight: number
  /** How often to look for updates left by a replica that died (default 1 s). */
  readonly sweepEvery?: Duration.DurationInput
}

const MAX_ATTEMPTS = 5

/**
 * Several replicas behind one webhook, on one PostgreSQL. An update is first stored in `updates` (its
 * primary key refuses a second delivery, whichever replica gets it) and only then acknowledged. Any
 * replica then handles the chat's pending updates in update_id order, one transaction per update: the
 * row lock on the chat's oldest pending update (`select … for update`, see claimHead) keeps every other
 * replica out of that chat meanwhile, and the handling's storage changes commit together with `handled_at`
 * — or, if the replica dies, roll back with it, and another replica handles the update again from the same
 * state. A sweeper picks up chats whose updates a dead replica left behind (a live one holds an advisory
 * lock on its name).
 *
 * Why the head's row lock and not a claim table: the lock needs no cleanup (PostgreSQL drops it with a dead
 * replica's connection, at once), it is taken by the statement that reads the update (no round trip of its
 * own), and since it is held by the transaction that writes the handling's changes, "handled" and "changed"
 * can never disagree. The cost is one connection per chat being handled, which bounds a replica's
 * parallelism by its pool.
 */
export const makeInbox = (
  settings: InboxSettings,
): Effect.Effect<UpdateQueue, StorageError, Database | Scope.Scope> =>
  Effect.gen(function* () {
    const { sql } = yield* Database
    const runtime = yield* Effect.runtime<never>()
    const permits = makePermits(settings.maxInFlight)
    const fibers = yield* FiberSet.make()
    const draining = new Set<string>()
    const again = new Set<string>()
    const handling = new Set<number>()
    /** Woken each time this replica ends the handling of an update. */
    const { finished, progress } = makeProgress()
    let open = true

    /** Runs the update's work inside the transaction on `tx`, with the prefetched student. */
    const runJob = async (
      job: Job,
      tx: Transaction,
      student: Prefetched | undefined,
      signal: AbortSignal,
    ) => {
      const work = Effect.gen(function* () {
        const callOff =
          job.watchdog === undefined ? undefined : armWatchdog(job.watchdog, Runtime.runFork(runtime))
        // A failure of the work itself is final (as in the delivery scheduler): logged, and done with.
        yield* job.work.pipe(
          Effect.catchAllCause((cause) =>
            Effect.logError("an update failed outside the bot", Cause.pretty(cause)),
          ),
        )
        if (callOff !== undefined) yield* callOff
      })
      await Runtime.runPromise(runtime)(
        work.pipe(
          Effect.locally(CurrentTransaction, savepoints(tx)),
          Effect.locally(CurrentPrefetch, student),
        ),
        { signal },
      )
    }

    /**
     * Handles the chat's oldest pending update, if any, in one transaction on a connection of its own, where
     * statements that need no answer in between go out together: `begin` with the head's lock, the handled
     * mark with `commit` — four round trips for a registration step, not six. The student is read only once
     * the head is held.
     * Answers whether it handled one and the chat has more waiting: only then is another transaction begun.
     */
    const handleOn = async (tx: Transaction, key: string, wait: boolean, signal: AbortSignal) => {
      // postgres.js sends a query when it is first awaited: execute() puts these on the wire in this order
      const begun = tx.unsafe("begin").execute()
      const [, first] = await settled([begun, claimHead(tx, key, wait).execute()])
      const head = first[0] ?? (wait ? (await claimHead(tx, key, wait))[0] : undefined)
      if (head === undefined) {
        await tx.unsafe("commit")
        return false
      }
      const updateId = Number(head.update_id)
      handling.add(updateId)
      try {
        // read once the head is held (not before: another replica may be changing the student until then)
        const [attempts, student] = await Promise.all([
          countAttempt(sql, updateId),
          /^\d+$/.test(key) ? prefetch(tx, Number(key)) : undefined,
        ])
        const job = attempts > MAX_ATTEMPTS ? undefined : settings.toJob(head.payload)
        if (job !== undefined) await runJob(job, tx, student, signal)
        // the mark (with the count of attempts), and in the same round trip whether the chat has newer updates
        // waiting (as this transaction sees them: one stored after it is drained by the replica that stored it)
        const [more] = await settled([
          markHandled(tx, { updateId, key, replica: settings.replica, attempts }),
          tx.unsafe("commit").execute(),
        ])
        return more
      } finally {
        handling.delete(updateId)
        finished()
      }
    }

    const handleNext = (key: string, wait: boolean): Effect.Effect<boolean, StorageError> =>
      permits.withPermit(
        query("handle update", async (signal) => {
          const tx = await sql.reserve()
          try {
            return await handleOn(tx, key, wait, signal)
          } catch (error) {
            await tx.unsafe("rollback").catch(() => undefined)
            // the sweep found the chat's head held by a live replica: that replica drains the chat
            if (!wait && (error as { code?: string }).code === "55P03") return false
            throw error
          } finally {
            tx.release()
          }
        }),
      )

    /**
     * Handles the chat's pending updates until none is left (unless another replica has the chat). An update
     * this replica stores while the chat drains asks for one more round (`again`): the round that is ending
     * may have looked before it was stored.
     */
    const drain = (key: string, wait: boolean): Effect.Effect<void> =>
      draining.has(key)
        ? Effect.sync(() => void again.add(key))
        : Effect.suspend(() => {
            draining.add(key)
            const loop = (waitForLock: boolean): Effect.Effect<void, StorageError> =>
              open
                ? Effect.flatMap(handleNext(key, waitForLock), (more) => {
                    if (more || again.delete(key)) return loop(true)
                    return Effect.void
                  })
                : Effect.void
            again.delete(key)
            return loop(wait)
          }).pipe(
            Effect.ensuring(Effect.sync(() => draining.delete(key))),
            Effect.catchAllCause((cause) =>
              Cause.isInterruptedOnly(cause)
                ? Effect.void
                : Effect.logError(`could not handle the updates of chat ${key}`, Cause.pretty(cause)),
            ),
          )

    // This replica is alive while it holds this lock (PostgreSQL drops it with a dead replica's connection).
    yield* Effect.acquireRelease(
      query("announce replica", async () => {
        const reserved = await sql.reserve()
        const [row] =
          await reserved`select pg_try_advisory_lock(${REPLICA_LOCK}, hashtext(${settings.replica})) as got`
        if (row?.got !== true) {
          reserved.release()
          throw new Error(`another live replica is named ${settings.replica}`)
        }
        return reserved
      }),
      (reserved) =>
        Effect.promise(() => reserved`select pg_advisory_unlock_all()`.catch(() => undefined)).pipe(
          Effect.ensuring(Effect.sync(() => reserved.release())),
        ),
    )

    /** Chats with updates that a replica no longer alive acknowledged and did not handle (or this one left). */
    const sweep = query("find left-over updates", () => leftOverChats(sql, settings.replica)).pipe(
      Effect.flatMap((rows) =>
        Effect.forEach(
          rows,
          (row) =>
            draining.has(String(row.chat_key))
              ? Effect.void
              : FiberSet.run(fibers, drain(String(row.chat_key), false)),
          { discard: true },
        ),
      ),
      Effect.catchAll((error) => Effect.logWarning("inbox sweep failed", error.detail)),
    )
    yield* sweep.pipe(
      Effect.repeat(Schedule.spaced(settings.sweepEvery ?? Duration.seconds(1))),
      Effect.forkScoped,
    )

    return {
      storesUpdates: true,
      /** Stores the update (durably) and starts handling its chat; "duplicate" if any replica had it. */
      submit: (job: Job): Effect.Effect<Submitted> =>
        Effect.gen(function* () {
          if (!open) return "closed"
          if (job.raw === undefined) return "busy"
          const key = String(job.key)
          const stored = yield* query("store update", () =>
            storeUpdate(sql, { updateId: job.id, key, raw: job.raw, replica: settings.replica }),
          ).pipe(Effect.either)
          if (stored._tag === "Left") {
            yield* Effect.logWarning("could not store an update", stored.left.detail)
            return "busy"
          }
          if (!stored.right) return "duplicate"
          yield* FiberSet.run(fibers, drain(key, true))
          return "accepted"
        }),
      /** Whether any replica already has the update (polling's question; the webhook does not ask it). */
      seen: (id: number): Effect.Effect<boolean> =>
        query("seen update", () => sql`select 1 from updates where update_id = ${id}`).pipe(
          Effect.map((rows) => rows.length > 0),
          Effect.orElseSucceed(() => false),
        ),
      /** Updates being handled by this replica now. */
      inFlight: (): ReadonlySet<number> => handling,
      /** Waits until this replica has handled an update (or `timeout`). */
      progress,
      /** Stops taking updates, lets the ones being handled finish until `deadline`, then interrupts the rest. */
      close: closeQueue({
        stop: () => {
          open = false
        },
        pending: () => draining.size,
        progress,
        fibers,
      }),
    }
  })

/** The replicas' queue (webhook mode on PostgreSQL), over this process's pool: one inbox per replica. */
export const ReplicaQueues = (settings: Omit<InboxSettings, "toJob">) =>
  Layer.effect(
    UpdateQueues,
    Effect.map(Database, (database) => ({
      make: (toJob: (raw: unknown) => Job | undefined) =>
        makeInbox({ ...settings, toJob }).pipe(Effect.provideService(Database, database), Effect.orDie),
    })),
  )
