import { Effect } from "effect"
import { useCase } from "./common/use-case.ts"
import { registerCommands } from "./features.ts"
import { BroadcastRunner } from "./ports/broadcast-runner.ts"
import { StudentDirectory } from "./ports/student-directory.ts"
import { resendUnsentReviews } from "./shop/payments.ts"

/**
 * What the bot does once when it starts, before taking updates: the command menus (in the background),
 * broadcasts a stop interrupted (resumed), receipts whose review never reached the admins (sent again, in
 * the background). Answers the wait until start-up work is over (the student index built), for whoever
 * wants to tidy up after it (main compacts the heap then).
 */
export const startUp = useCase("Bot.startUp")(function* () {
  yield* Effect.forkScoped(registerCommands())
  yield* (yield* BroadcastRunner).resume
  yield* Effect.forkScoped(
    resendUnsentReviews().pipe(
      Effect.catchAll((error) => Effect.logError("could not resend reviews", error)),
    ),
  )
  return Effect.ignore((yield* StudentDirectory).count)
})
