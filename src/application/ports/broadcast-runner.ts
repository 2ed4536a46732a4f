import { Context, type Effect } from "effect"

/** Sends confirmed broadcasts in the background, one at a time, and resumes them after a restart. */
export class BroadcastRunner extends Context.Tag("BroadcastRunner")<
  BroadcastRunner,
  {
    /** Starts sending (in the background) unless it is already being sent. */
    readonly start: (id: string) => Effect.Effect<void>
    /** Starts every broadcast that was confirmed and not finished: call once at start-up. */
    readonly resume: Effect.Effect<void>
  }
>() {}
