import { Schema } from "effect"
import { Grade } from "./school.ts"

export const Audience = Schema.Union(Schema.Literal("all"), Grade)
export type Audience = typeof Audience.Type

/** draft (preview shown) → sending (confirmed) → done; a draft can be cancelled. */
export const Broadcast = Schema.Struct({
  id: Schema.String,
  text: Schema.String.pipe(Schema.minLength(1)),
  audience: Audience,
  createdBy: Schema.Number,
  createdAt: Schema.Date,
  status: Schema.Literal("draft", "sending", "done", "cancelled"),
  /** The admin's message that shows the progress, edited as it goes. */
  progress: Schema.optional(Schema.Struct({ chatId: Schema.Number, messageId: Schema.Number })),
  finishedAt: Schema.optional(Schema.Date),
})
export type Broadcast = typeof Broadcast.Type

/**
 * claimed: about to be sent (written before the send, so a restart never sends it again);
 * sent; blocked (403: the student blocked the bot); failed (any other refusal).
 */
export const DeliveryState = Schema.Literal("claimed", "sent", "blocked", "failed")
export type DeliveryState = typeof DeliveryState.Type

export type BroadcastTally = {
  readonly sent: number
  readonly blocked: number
  readonly failed: number
  /** Claimed when the bot stopped: maybe delivered, never sent again. */
  readonly uncertain: number
}

export const tally = (states: Iterable<DeliveryState>): BroadcastTally => {
  const counts = { sent: 0, blocked: 0, failed: 0, uncertain: 0 }
  for (const state of states) {
    if (state === "claimed") counts.uncertain++
    else counts[state]++
  }
  return counts
}

export const reaches = (audience: Audience, grade: Grade): boolean => audience === "all" || audience === grade
