import { Effect, type Exit, FiberRef } from "effect"
import type { YieldWrap } from "effect/Utils"

/**
 * Watches use cases run: told a use case's name when it starts, it answers what to do with its
 * outcome when it ends. The adapters install one (metrics, performance.log); the core only names
 * its use cases and never knows what is done with the names.
 */
export type UseCaseObserver = (name: string) => ((exit: Exit.Exit<unknown, unknown>) => void) | undefined

/** The observer of the current fiber and those it forks; none unless an adapter installs one. */
export const CurrentUseCaseObserver: FiberRef.FiberRef<UseCaseObserver | undefined> = FiberRef.unsafeMake<
  UseCaseObserver | undefined
>(undefined)

/** The innermost use case running (e.g. for log lines). */
export const CurrentUseCase: FiberRef.FiberRef<string | undefined> = FiberRef.unsafeMake<string | undefined>(
  undefined,
)

type ErrorOf<Eff> = [Eff] extends [never]
  ? never
  : [Eff] extends [YieldWrap<Effect.Effect<infer _A, infer E, infer _R>>]
    ? E
    : never
type RequirementsOf<Eff> = [Eff] extends [never]
  ? never
  : [Eff] extends [YieldWrap<Effect.Effect<infer _A, infer _E, infer R>>]
    ? R
    : never

/**
 * `effect` with `ref` set to `value(outer)` while it runs, restored after; `after` is told its exit first.
 * What `Effect.locally` does, in one uninterruptible region with the effect itself interruptible as before,
 * without the acquire/use/release machinery `locally` brings (a dozen Effect operations and their allocations,
 * and an update runs several use cases).
 */
export const withFiberRef =
  <X>(
    ref: FiberRef.FiberRef<X>,
    value: (outer: X) => X,
    after?: (exit: Exit.Exit<unknown, unknown>) => void,
  ) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.uninterruptibleMask((restore) =>
      Effect.withFiberRuntime<A, E, R>((fiber) => {
        const outer = fiber.getFiberRef(ref)
        const run = Effect.exit(Effect.zipRight(FiberRef.set(ref, value(outer)), restore(effect)))
        return Effect.flatMap(run, (exit) => {
          after?.(exit)
          return Effect.zipRight(FiberRef.set(ref, outer), exit)
        })
      }),
    )

/** Runs `effect` as the use case `name`: observed (when an observer is installed) and named for logs. */
export const asUseCase =
  (name: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.withFiberRuntime((fiber) => {
      const end = fiber.getFiberRef(CurrentUseCaseObserver)?.(name)
      return withFiberRef(CurrentUseCase, () => name, end)(effect)
    })

/**
 * A named use case, e.g. `useCase("Registration.answer")(function* (…) { … })`. Like
 * `Effect.fn(name)`, but without a tracing span and a stack capture per call (tens of µs each,
 * several per update): the name reaches metrics and logs through the observer instead.
 */
export const useCase =
  (name: string) =>
  <Eff extends YieldWrap<Effect.Effect<unknown, unknown, unknown>>, AEff, Args extends Array<unknown>>(
    body: (...args: Args) => Generator<Eff, AEff, never>,
  ): ((...args: Args) => Effect.Effect<AEff, ErrorOf<Eff>, RequirementsOf<Eff>>) => {
    const run = Effect.fnUntraced(body)
    const observe = asUseCase(name)
    return (...args) => observe(run(...args))
  }
