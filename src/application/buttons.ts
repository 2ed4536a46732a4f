import { Option } from "effect"
import type { Action } from "./actions.ts"
import { cancelBroadcast, changeAudience, chooseAudience, confirmBroadcast } from "./broadcast.ts"
import {
  enrol,
  leave,
  listFreeClasses,
  listPaidCourses,
  myCourses,
  overview,
  type Screen,
  showCourse,
} from "./classes.ts"
import { type Context, type Handling, stale, withNothing } from "./handler-table.ts"
import { buyBook, buyCourse, cancel, skipNotes } from "./orders.ts"
import { decide, pickReason } from "./payments.ts"
import type { ChatId, MessageId } from "./ports/messenger.ts"

type Pressed = { readonly chatId: ChatId; readonly at: MessageId }
type Reviewer = Pressed & { readonly adminId: number; readonly adminName: string }
type Of<T extends Action["_tag"]> = Extract<Action, { readonly _tag: T }>

/**
 * What each button does (its data is parsed by actions.ts): a student's buttons need the sender's record,
 * an admin's need an admin. Typed per action, so an action with no handler does not compile.
 */
type ButtonTable = {
  readonly [T in Action["_tag"]]:
    | { readonly audience: "students"; readonly run: (action: Of<T>, screen: Screen) => Handling }
    | { readonly audience: "admins"; readonly run: (action: Of<T>, reviewer: Reviewer) => Handling }
}

export const BUTTONS: ButtonTable = {
  Overview: { audience: "students", run: (_, screen) => withNothing(overview(screen)) },
  FreeClasses: { audience: "students", run: (_, screen) => withNothing(listFreeClasses(screen)) },
  PaidCourses: { audience: "students", run: (_, screen) => withNothing(listPaidCourses(screen)) },
  MyCourses: { audience: "students", run: (_, screen) => withNothing(myCourses(screen)) },
  ShowCourse: { audience: "students", run: (action, screen) => showCourse(screen, action.courseId) },
  Enrol: { audience: "students", run: (action, screen) => enrol(screen, action.courseId) },
  Leave: { audience: "students", run: (action, screen) => leave(screen, action.courseId) },
  BuyCourse: {
    audience: "students",
    run: (action, screen) => buyCourse({ chatId: screen.chatId, student: screen.student }, action.courseId),
  },
  BuyBook: {
    audience: "students",
    run: (action, screen) => buyBook({ chatId: screen.chatId, student: screen.student }, action.bookId),
  },
  SkipNotes: { audience: "students", run: (action, screen) => skipNotes(screen, action.orderId) },
  CancelOrder: { audience: "students", run: (action, screen) => cancel(screen, action.orderId) },
  Approve: {
    audience: "admins",
    run: (action, reviewer) => decide(reviewer, action.orderId, action.receiptId, "approved"),
  },
  Reject: {
    audience: "admins",
    run: (action, reviewer) => decide(reviewer, action.orderId, action.receiptId, "rejected", action.reason),
  },
  AskReason: {
    audience: "admins",
    run: (action, reviewer) => pickReason(reviewer, action.orderId, action.receiptId, true),
  },
  ReviewBack: {
    audience: "admins",
    run: (action, reviewer) => pickReason(reviewer, action.orderId, action.receiptId, false),
  },
  Audience: {
    audience: "admins",
    run: (action, pressed) => chooseAudience(pressed, action.broadcastId, action.audience),
  },
  ChangeAudience: {
    audience: "admins",
    run: (action, pressed) => changeAudience(pressed, action.broadcastId),
  },
  SendBroadcast: {
    audience: "admins",
    run: (action, pressed) => confirmBroadcast(pressed, action.broadcastId),
  },
  CancelBroadcast: {
    audience: "admins",
    run: (action, pressed) => cancelBroadcast(pressed, action.broadcastId),
  },
}

/** Runs a pressed button's action for whoever may press it; to anyone else it is a stale button. */
export const runButton = (context: Context, action: Action, at: MessageId): Handling => {
  const pressed = { chatId: context.who.chatId, at }
  // each entry's `run` is only ever given its own action (the table is keyed by the action's tag)
  const entry = BUTTONS[action._tag] as
    | { readonly audience: "students"; readonly run: (action: Action, screen: Screen) => Handling }
    | { readonly audience: "admins"; readonly run: (action: Action, reviewer: Reviewer) => Handling }
  if (entry.audience === "admins") {
    if (!context.admin) return stale
    const adminName = context.name ?? `ادمین ${context.who.userId}`
    return entry.run(action, { ...pressed, adminId: context.who.userId, adminName })
  }
  if (Option.isNone(context.student)) return stale
  return entry.run(action, { ...pressed, student: context.student.value })
}
