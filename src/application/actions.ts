import { Schema } from "effect"
import { type Audience, Audience as AudienceSchema } from "../domain/broadcast.ts"
import { RejectionReason as ReasonSchema, type RejectionReason } from "../domain/order.ts"

/**
 * What a button of the classes, orders and admin screens asks for. Button data carries ids only —
 * never a price or a title — and anything that does not parse exactly is treated as a stale button.
 */
export type Action =
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

const ID = "([a-z0-9_]{1,48})"
const KEY = "([A-Z0-9]{4,16})"
const isReason = Schema.is(ReasonSchema)
const isAudience = Schema.is(AudienceSchema)

const patterns: ReadonlyArray<readonly [RegExp, (match: RegExpExecArray) => Action | undefined]> = [
  [/^c:home$/, () => ({ _tag: "Overview" })],
  [/^c:free$/, () => ({ _tag: "FreeClasses" })],
  [/^c:paid$/, () => ({ _tag: "PaidCourses" })],
  [/^c:mine$/, () => ({ _tag: "MyCourses" })],
  [new RegExp(`^c:show:${ID}$`), (m) => ({ _tag: "ShowCourse", courseId: m[1] ?? "" })],
  [new RegExp(`^c:enrol:${ID}$`), (m) => ({ _tag: "Enrol", courseId: m[1] ?? "" })],
  [new RegExp(`^c:leave:${ID}$`), (m) => ({ _tag: "Leave", courseId: m[1] ?? "" })],
  [new RegExp(`^o:course:${ID}$`), (m) => ({ _tag: "BuyCourse", courseId: m[1] ?? "" })],
  [new RegExp(`^o:book:${ID}$`), (m) => ({ _tag: "BuyBook", bookId: m[1] ?? "" })],
  [new RegExp(`^o:skip:${KEY}$`), (m) => ({ _tag: "SkipNotes", orderId: m[1] ?? "" })],
  [new RegExp(`^o:cancel:${KEY}$`), (m) => ({ _tag: "CancelOrder", orderId: m[1] ?? "" })],
  [
    new RegExp(`^r:ok:${KEY}:${KEY}$`),
    (m) => ({ _tag: "Approve", orderId: m[1] ?? "", receiptId: m[2] ?? "" }),
  ],
  [
    new RegExp(`^r:no:${KEY}:${KEY}$`),
    (m) => ({ _tag: "AskReason", orderId: m[1] ?? "", receiptId: m[2] ?? "" }),
  ],
  [
    new RegExp(`^r:back:${KEY}:${KEY}$`),
    (m) => ({ _tag: "ReviewBack", orderId: m[1] ?? "", receiptId: m[2] ?? "" }),
  ],
  [
    new RegExp(`^r:why:([a-zA-Z]{1,16}):${KEY}:${KEY}$`),
    (m) =>
      isReason(m[1])
        ? { _tag: "Reject", reason: m[1], orderId: m[2] ?? "", receiptId: m[3] ?? "" }
        : undefined,
  ],
  [
    new RegExp(`^b:to:([^:]{1,16}):${KEY}$`),
    (m) => (isAudience(m[1]) ? { _tag: "Audience", audience: m[1], broadcastId: m[2] ?? "" } : undefined),
  ],
  [new RegExp(`^b:who:${KEY}$`), (m) => ({ _tag: "ChangeAudience", broadcastId: m[1] ?? "" })],
  [new RegExp(`^b:go:${KEY}$`), (m) => ({ _tag: "SendBroadcast", broadcastId: m[1] ?? "" })],
  [new RegExp(`^b:cancel:${KEY}$`), (m) => ({ _tag: "CancelBroadcast", broadcastId: m[1] ?? "" })],
]

export const parseAction = (data: string): Action | undefined => {
  for (const [pattern, build] of patterns) {
    const match = pattern.exec(data)
    if (match !== null) return build(match)
  }
  return undefined
}

/** The button data of an action (always under Telegram's 64 bytes: ids are short, grades are 3 letters). */
export const actionData = (action: Action): string => {
  switch (action._tag) {
    case "Overview":
      return "c:home"
    case "FreeClasses":
      return "c:free"
    case "PaidCourses":
      return "c:paid"
    case "MyCourses":
      return "c:mine"
    case "ShowCourse":
      return `c:show:${action.courseId}`
    case "Enrol":
      return `c:enrol:${action.courseId}`
    case "Leave":
      return `c:leave:${action.courseId}`
    case "BuyCourse":
      return `o:course:${action.courseId}`
    case "BuyBook":
      return `o:book:${action.bookId}`
    case "SkipNotes":
      return `o:skip:${action.orderId}`
    case "CancelOrder":
      return `o:cancel:${action.orderId}`
    case "Approve":
      return `r:ok:${action.orderId}:${action.receiptId}`
    case "AskReason":
      return `r:no:${action.orderId}:${action.receiptId}`
    case "ReviewBack":
      return `r:back:${action.orderId}:${action.receiptId}`
    case "Reject":
      return `r:why:${action.reason}:${action.orderId}:${action.receiptId}`
    case "Audience":
      return `b:to:${action.audience}:${action.broadcastId}`
    case "ChangeAudience":
      return `b:who:${action.broadcastId}`
    case "SendBroadcast":
      return `b:go:${action.broadcastId}`
    case "CancelBroadcast":
      return `b:cancel:${action.broadcastId}`
  }
}

export const choice = (label: string, action: Action) => ({ label, data: actionData(action) })
