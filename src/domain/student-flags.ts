import { Schema } from "effect"
import { UserId } from "./student.ts"

/** What admins and Telegram told us about a student, kept beside (not inside) the student's file. */
export const StudentFlags = Schema.Struct({
  userId: UserId,
  banned: Schema.optional(Schema.Struct({ at: Schema.Date, by: Schema.Number, noticeSent: Schema.Boolean })),
  /** The student blocked the bot (a send answered 403): broadcasts skip them until they write again. */
  blockedAt: Schema.optional(Schema.Date),
})
export type StudentFlags = typeof StudentFlags.Type

export const noFlags = (userId: UserId): StudentFlags => ({ userId })
