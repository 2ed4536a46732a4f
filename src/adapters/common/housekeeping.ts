import { Cause, Context, Duration, Effect, Layer } from "effect"

type Task = { readonly name: string; readonly run: Effect.Effect<unknown, unknown> }

/**
 * Periodic cleanup shared by the adapters: each registers a named task (remove old drafts, trim the
 * cache, prune a journal…) and all of them run, one after another, every CLEANUP_INTERVAL_SECONDS.
 * A failing task is logged and retried at the next round; it never stops the others.
 */
export class Housekeeping extends Context.Tag("Housekeeping")<
  Housekeeping,
  {
    readonly register: (name: string, run: Effect.Effect<unknown, unknown>) => Effect.Effect<void>
    /** One round now, every task in the order registered (what each tick does). */
    readonly runAll: Effect.Effect<void>
    readonly taskNames: Effect.Effect<ReadonlyArray<string>>
  }
>() {}

export const makeHousekeeping = () => {
  const tasks: Array<Task> = []
  const runTask = (task: Task) =>
    task.run.pipe(
      Effect.timed,
      Effect.tap(([took]) =>
        Effect.logDebug(`housekeeping: ${task.name} done in ${Duration.toMillis(took).toFixed(0)} ms`),
      ),
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause)
          ? Effect.interrupt
          : Effect.logWarning(`housekeeping: ${task.name} failed`, Cause.pretty(cause)),
      ),
    )
  return Housekeeping.of({
    register: (name, run) => Effect.sync(() => void tasks.push({ name, run })),
    runAll: Effect.suspend(() => Effect.forEach([...tasks], runTask, { discard: true })),
    taskNames: Effect.sync(() => tasks.map((task) => task.name)),
  })
}

/** Runs the registered tasks every `intervalSeconds` while the layer's scope is open. */
export const HousekeepingLive = (intervalSeconds: number) =>
  Layer.scoped(
    Housekeeping,
    Effect.gen(function* () {
      const housekeeping = makeHousekeeping()
      yield* housekeeping.runAll.pipe(
        Effect.delay(Duration.seconds(intervalSeconds)),
        Effect.forever,
        Effect.forkScoped,
      )
      return housekeeping
    }),
  )

/** Housekeeping that only runs when a test calls runAll. */
export const ManualHousekeeping = Layer.sync(Housekeeping, makeHousekeeping)
