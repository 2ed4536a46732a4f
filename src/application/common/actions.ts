import { Schema } from "effect"
import { type Audience, Audience as AudienceSchema } from "../../domain/broadcast.ts"
import { RejectionReason as ReasonSchema, type RejectionReason } from "../../domain/order.ts"

/**
 * What a button asks for (but the registration's own, which its state machine reads). Button data carries ids only —
 * never a price or a title — and anything that does not parse exactly is treated as a stale button.
 */
export type Action =
  | { readonly _tag: "EditProfile" }
  | { readonly _tag: "Overview" }
  | { readonly _tag: "FreeClasses" }
  | { readonly _tag: "PaidCourses" }
  | { readonly _tag: "MyCourses" }
  | { readonly _tag: "ShowCourse"; readonly courseId: string }
  | { readonly _tag: "Enrol"; readonly courseId: string }
  | { readonly _tag: "Leave"; readonly courseId: string }
  | { readonly _tag: "BuyCourse"; readonly courseId: string }
  | { readonly _tag: "BuyBook"; readonly bookId: string }
  | { readonly _tag: "SkipNotes"; readonly orderId: string }
  | { readonly _tag: "CancelOrder"; readonly orderId: string }
  | { readonly _tag: "Approve"; readonly orderId: string; readonly receiptId: string }
  | { readonly _tag: "AskReason"; readonly orderId: string; readonly receiptId: string }
  | { readonly _tag: "ReviewBack"; readonly orderId: string; readonly receiptId: string }
  | {
      readonly _tag: "Reject"
      readonly orderId: string
      readonly receiptId: string
      readonly reason: RejectionReason
    }
  | { readonly _tag: "Audience"; readonly broadcastId: string; readonly audience: Audience }
  | { readonly _tag: "ChangeAudience"; readonly broadcastId: string }
  | { readonly _tag: "SendBroadcast"; readonly broadcastId: string }
  | { readonly _tag: "CancelBroadcast"; readonly broadcastId: string }

type Of<T extends Action["_tag"]> = Extract<Action, { readonly _tag: T }>
type Field = Exclude<{ [T in Action["_tag"]]: keyof Of<T> }[Action["_tag"]], "_tag">

/** What each field of button data may hold: ids are short, order and receipt keys capitals and digits. */
const FIELDS: {
  readonly [F in Field]: { readonly pattern: string; readonly valid?: (text: string) => boolean }
} = {
  courseId: { pattern: "[a-z0-9_]{1,48}" },
  bookId: { pattern: "[a-z0-9_]{1,48}" },
  orderId: { pattern: "[A-Z0-9]{4,16}" },
  receiptId: { pattern: "[A-Z0-9]{4,16}" },
  broadcastId: { pattern: "[A-Z0-9]{4,16}" },
  reason: { pattern: "[a-zA-Z]{1,16}", valid: Schema.is(ReasonSchema) },
  audience: { pattern: "[^:]{1,16}", valid: Schema.is(AudienceSchema) },
}

/**
 * Every action's button data, read and written from this one table: a prefix, then its fields in order,
 * separated by colons (`r:why:<reason>:<order>:<receipt>`). Typed per action: each names exactly its fields.
 */
const CODEC: {
  readonly [T in Action["_tag"]]: readonly [
    prefix: string,
    ...fields: ReadonlyArray<Exclude<keyof Of<T>, "_tag">>,
  ]
} = {
  EditProfile: ["menu:edit"],
  Overview: ["c:home"],
  FreeClasses: ["c:free"],
  PaidCourses: ["c:paid"],
  MyCourses: ["c:mine"],
  ShowCourse: ["c:show", "courseId"],
  Enrol: ["c:enrol", "courseId"],
  Leave: ["c:leave", "courseId"],
  BuyCourse: ["o:course", "courseId"],
  BuyBook: ["o:book", "bookId"],
  SkipNotes: ["o:skip", "orderId"],
  CancelOrder: ["o:cancel", "orderId"],
  Approve: ["r:ok", "orderId", "receiptId"],
  AskReason: ["r:no", "orderId", "receiptId"],
  ReviewBack: ["r:back", "orderId", "receiptId"],
  Reject: ["r:why", "reason", "orderId", "receiptId"],
  Audience: ["b:to", "audience", "broadcastId"],
  ChangeAudience: ["b:who", "broadcastId"],
  SendBroadcast: ["b:go", "broadcastId"],
  CancelBroadcast: ["b:cancel", "broadcastId"],
}

const readers = Object.entries(CODEC).map(([tag, [prefix, ...fields]]) => {
  const names = fields as ReadonlyArray<Field>
  const pattern = new RegExp(`^${prefix}${names.map((name) => `:(${FIELDS[name].pattern})`).join("")}$`)
  return (data: string): Action | undefined => {
    const match = pattern.exec(data)
    if (match === null) return undefined
    const action: Record<string, string> = { _tag: tag }
    for (const [index, name] of names.entries()) {
      const value = match[index + 1] ?? ""
      if (FIELDS[name].valid?.(value) === false) return undefined
      action[name] = value
    }
    return action as Action
  }
})

export const parseAction = (data: string): Action | undefined => {
  for (const read of readers) {
    const action = read(data)
    if (action !== undefined) return action
  }
  return undefined
}

/** The button data of an action (always under Telegram's 64 bytes: ids are short, grades are 3 letters). */
export const actionData = (action: Action): string => {
  const [prefix, ...fields] = CODEC[action._tag] as readonly [string, ...ReadonlyArray<Field>]
  const values = action as unknown as Readonly<Record<Field, string>>
  return [prefix, ...fields.map((field) => values[field])].join(":")
}

export const choice = (label: string, action: Action) => ({ label, data: actionData(action) })
