import { Cause, Effect, Exit, Fiber } from "effect"

/**
 * Runs the program until it ends or a SIGTERM/SIGINT arrives. The first signal interrupts it so
 * that finalizers run (in-flight work, open connections); a second signal exits at once.
 */
export const runMain = <E>(
  program: Effect.Effect<void, E>,
  describe: (error: E) => string = String,
): void => {
  const fiber = Effect.runFork(program)
  let stopping = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130)
    stopping = true
    process.stderr.write(`${signal} received: shutting down\n`)
    Effect.runFork(Fiber.interrupt(fiber))
  }
  process.on("SIGTERM", onSignal)
  process.on("SIGINT", onSignal)
  fiber.addObserver((exit) => {
    process.off("SIGTERM", onSignal)
    process.off("SIGINT", onSignal)
    if (Exit.isSuccess(exit) || Cause.isInterruptedOnly(exit.cause)) {
      process.exitCode = 0
      return
    }
    const failure = Cause.failureOption(exit.cause)
    process.stderr.write(`${failure._tag === "Some" ? describe(failure.value) : Cause.pretty(exit.cause)}\n`)
    process.exitCode = 1
  })
}
