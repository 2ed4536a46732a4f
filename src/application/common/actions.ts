import { Audience } from "../../domain/broadcast.ts"
import { buttonCodec, literalField, textField } from "../../domain/button-data.ts"
import { RejectionReason } from "../../domain/order.ts"

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

/** What each field of button data may hold: ids are short, order and receipt keys capitals and digits. */
const id = textField("[a-z0-9_]{1,48}")
const key = textField("[A-Z0-9]{4,16}")

/**
 * Every action's button data, read and written from this one table (domain/button-data.ts): a prefix, then
 * its fields, separated by colons (`r:why:<reason>:<order>:<receipt>`). Each template names exactly its
 * action's fields, or this does not compile.
 */
const CODEC = buttonCodec<Action>()(
  {
    courseId: id,
    bookId: id,
    orderId: key,
    receiptId: key,
    broadcastId: key,
    reason: literalField("[a-zA-Z]{1,16}", RejectionReason),
    audience: literalField("[^:]{1,16}", Audience),
  },
  {
    EditProfile: "menu:edit",
    Overview: "c:home",
    FreeClasses: "c:free",
    PaidCourses: "c:paid",
    MyCourses: "c:mine",
    ShowCourse: "c:show:{courseId}",
    Enrol: "c:enrol:{courseId}",
    Leave: "c:leave:{courseId}",
    BuyCourse: "o:course:{courseId}",
    BuyBook: "o:book:{bookId}",
    SkipNotes: "o:skip:{orderId}",
    CancelOrder: "o:cancel:{orderId}",
    Approve: "r:ok:{orderId}:{receiptId}",
    AskReason: "r:no:{orderId}:{receiptId}",
    ReviewBack: "r:back:{orderId}:{receiptId}",
    Reject: "r:why:{reason}:{orderId}:{receiptId}",
    Audience: "b:to:{audience}:{broadcastId}",
    ChangeAudience: "b:who:{broadcastId}",
    SendBroadcast: "b:go:{broadcastId}",
    CancelBroadcast: "b:cancel:{broadcastId}",
  },
)

export const parseAction: (data: string) => Action | undefined = CODEC.read

/** The button data of an action (always under Telegram's 64 bytes: ids are short, grades are 3 letters). */
export const actionData: (action: Action) => string = CODEC.write

export const choice = (label: string, action: Action) => ({ label, data: actionData(action) })
