import { Effect, Option } from "effect"
import type { Answer } from "../domain/registration-draft.ts"
import { fullName } from "../domain/student.ts"
import { type Action, parseAction } from "./actions.ts"
import { exportRecords, setBan } from "./admin.ts"
import type { BotPorts } from "./bot-ports.ts"
import {
  cancelBroadcast,
  changeAudience,
  chooseAudience,
  confirmBroadcast,
  draftBroadcast,
} from "./broadcast.ts"
import {
  contactText,
  enrol,
  leave,
  listFreeClasses,
  listPaidCourses,
  myCourses,
  overview,
  type Screen,
  showCourse,
} from "./classes.ts"
import { SHOP_TEXTS } from "./classes-texts.ts"
import { beginEdit } from "./edit-profile.ts"
import type { Handled, Incoming, StudentEvent } from "./incoming.ts"
import { MENU_EDIT, mainMenu, menuItemOf, profileCard, showMenuItem } from "./menu.ts"
import { MENU_TEXTS } from "./menu-texts.ts"
import { answerOrder, buyBook, buyCourse, cancel, openOrder, showBooks, skipNotes } from "./orders.ts"
import { decide, pickReason, receivePhoto } from "./payments.ts"
import { Admins, isAdmin } from "./ports/admins.ts"
import { Clock } from "./ports/clock.ts"
import { alreadyHandled, DraftStore } from "./ports/draft-store.ts"
import { FlagStore } from "./ports/flag-store.ts"
import type { MessengerError } from "./ports/messenger.ts"
import { Messenger } from "./ports/messenger.ts"
import type { StorageError } from "./ports/storage-error.ts"
import { StorageHealth } from "./ports/storage-health.ts"
import { StudentRepository } from "./ports/student-repository.ts"
import { answerRegistration, startRegistration, type Who } from "./register.ts"
import { statistics } from "./stats.ts"
import { useCase } from "./use-case.ts"

const toAnswer = (event: StudentEvent, userId: number): Answer => {
  switch (event._tag) {
    case "Text":
      return { _tag: "Text", text: event.text }
    case "Button":
      return { _tag: "Button", data: event.data }
    case "Contact":
      return { _tag: "Contact", phone: event.phone, own: event.contactUserId === userId }
    default:
      return { _tag: "Unsupported" }
  }
}

/**
 * Routes one event to its use case: an update already handled first (skipped), then bans, commands,
 * buttons, the conversation in progress, then the menu.
 */
export const route = useCase("Bot.route")(function* (incoming: Incoming) {
  const { event, updateId } = incoming
  const who: Who =
    updateId === undefined
      ? { userId: incoming.userId, chatId: incoming.chatId }
      : { userId: incoming.userId, chatId: incoming.chatId, update: updateId }
  const messenger = yield* Messenger
  const drafts = yield* DraftStore
  const state = yield* drafts.get(who.userId)
  // Delivered again after a crash that came after its change was stored: its work is done.
  if (
    updateId !== undefined &&
    Option.isSome(state.handled) &&
    alreadyHandled(state.handled, updateId, yield* (yield* Clock).now)
  ) {
    yield* Effect.logDebug(`update ${updateId} was handled before the restart: skipped`)
    return {}
  }
  const admin = isAdmin(yield* Admins, who.userId)
  if (!admin) {
    const flags = yield* FlagStore
    const status = yield* flags.get(who.userId)
    if (status.banned !== undefined) {
      if (yield* flags.claimBanNotice(who.userId))
        yield* messenger.send(who.chatId, { text: SHOP_TEXTS.banned, removeKeyboard: true })
      return {}
    }
    // Writing again after blocking the bot means the bot is not blocked any more (a note that can wait
    // for a full disk to be freed: the student is served all the same).
    if (status.blockedAt !== undefined)
      yield* flags
        .clearBlocked(who.userId)
        .pipe(
          Effect.catchTag("StorageError", (error) =>
            Effect.flatMap(StorageHealth, (health) => health.writeFailed("clear blocked", error)),
          ),
        )
  }
  // A damaged record has been set aside by the store: say so once, then treat the student as new.
  const student = yield* (yield* StudentRepository).find(who.userId).pipe(
    Effect.catchTag("StudentRecordDamaged", (damaged) =>
      Effect.as(
        messenger.send(who.chatId, {
          text: MENU_TEXTS.recordDamaged(damaged.errorId),
          removeKeyboard: true,
        }),
        Option.none(),
      ),
    ),
  )
  const { conversation } = state
  const say = (text: string) => messenger.send(who.chatId, Option.isSome(student) ? mainMenu(text) : { text })
  const registered = (
    run: (screen: Screen) => Effect.Effect<unknown, StorageError | MessengerError, BotPorts>,
  ) =>
    Option.isSome(student)
      ? withNothing(run({ chatId: who.chatId, student: student.value }))
      : withNothing(say(MENU_TEXTS.notRegistered))

  if (event._tag === "Command") {
    switch (event.name) {
      case "start":
        if (Option.isSome(conversation) || Option.isNone(student))
          return yield* withNothing(startRegistration(who))
        return yield* withNothing(say(MENU_TEXTS.welcomeBack(fullName(student.value.profile))))
      case "cancel":
        if (Option.isSome(conversation)) {
          return yield* answerRegistration(who, conversation.value, { _tag: "Text", text: "انصراف" })
        }
        if (Option.isSome(student)) {
          const order = yield* openOrder(who.userId)
          if (Option.isSome(order))
            return yield* cancel({ chatId: who.chatId, student: student.value }, order.value.id)
        }
        return yield* withNothing(say(MENU_TEXTS.nothingToCancel))
      case "profile":
        return yield* withNothing(
          Option.isSome(student)
            ? messenger.send(who.chatId, profileCard(student.value))
            : say(MENU_TEXTS.notRegistered),
        )
      case "help":
        return yield* withNothing(say(admin ? MENU_TEXTS.adminHelp : MENU_TEXTS.help))
      case "courses":
        return yield* registered(overview)
      case "mycourses":
        return yield* registered(myCourses)
      case "book":
        return yield* registered((screen) => showBooks(screen.chatId))
      case "contact":
        return yield* withNothing(Effect.flatMap(contactText, say))
      case "stats":
        if (admin) return yield* withNothing(statistics(who.chatId, event.argument))
        break
      case "export":
        if (admin) return yield* withNothing(exportRecords(who.chatId, event.argument))
        break
      case "broadcast":
        if (admin) return yield* withNothing(draftBroadcast(who.chatId, who.userId, event.argument))
        break
      case "ban":
      case "unban":
        if (admin)
          return yield* withNothing(setBan(who.chatId, who.userId, event.argument, event.name === "ban"))
        break
    }
    return yield* withNothing(say(MENU_TEXTS.unknownCommand))
  }

  if (event._tag === "Button" && event.data === MENU_EDIT) {
    if (Option.isNone(student)) return { notice: MENU_TEXTS.staleMenuButton }
    return yield* withNothing(beginEdit(who, student.value))
  }

  if (event._tag === "Button") {
    const action = parseAction(event.data)
    if (action !== undefined) {
      const pressed = { chatId: who.chatId, at: event.message }
      const reviewer = { adminId: who.userId, adminName: incoming.name ?? `ادمین ${who.userId}`, ...pressed }
      switch (action._tag) {
        case "Approve":
        case "Reject":
        case "AskReason":
        case "ReviewBack":
        case "Audience":
        case "ChangeAudience":
        case "SendBroadcast":
        case "CancelBroadcast":
          if (!admin) return { notice: MENU_TEXTS.staleMenuButton }
          return yield* adminAction(action, reviewer, pressed)
      }
      if (Option.isNone(student)) return { notice: MENU_TEXTS.staleMenuButton }
      return yield* studentAction(action, { ...pressed, student: student.value })
    }
  }

  if (Option.isSome(conversation)) {
    const pressed = event._tag === "Button" ? event.message : undefined
    return yield* answerRegistration(who, conversation.value, toAnswer(event, who.userId), pressed)
  }

  if (Option.isNone(student)) {
    if (event._tag === "Button") return { notice: MENU_TEXTS.staleMenuButton }
    return yield* withNothing(startRegistration(who))
  }

  switch (event._tag) {
    case "Button":
      return { notice: MENU_TEXTS.staleMenuButton }
    case "Text": {
      const item = menuItemOf(event.text)
      if (item === "editProfile") return yield* withNothing(beginEdit(who, student.value))
      if (item !== undefined) return yield* withNothing(showMenuItem(who.chatId, student.value, item))
      const order = yield* openOrder(who.userId)
      if (Option.isSome(order) && order.value.status === "collecting")
        return yield* answerOrder(who.chatId, order.value, { _tag: "Text", text: event.text })
      return yield* withNothing(say(MENU_TEXTS.menuHint))
    }
    case "Photo":
      return yield* withNothing(receivePhoto(who.chatId, student.value, event))
    case "Contact":
      return yield* withNothing(say(MENU_TEXTS.contactNotNeeded))
    default: {
      // e.g. a receipt sent as a file: say how to send it instead of "not understood"
      const order = yield* openOrder(who.userId)
      const awaiting = Option.isSome(order) && order.value.status === "awaiting_receipt"
      return yield* withNothing(say(awaiting ? SHOP_TEXTS.receiptAsPhoto : MENU_TEXTS.mediaNotNeeded))
    }
  }
})

type Pressed = { readonly chatId: number; readonly at: number }

const adminAction = (
  action: Action,
  reviewer: Pressed & { readonly adminId: number; readonly adminName: string },
  pressed: Pressed,
) => {
  switch (action._tag) {
    case "Approve":
      return decide(reviewer, action.orderId, action.receiptId, "approved")
    case "Reject":
      return decide(reviewer, action.orderId, action.receiptId, "rejected", action.reason)
    case "AskReason":
      return pickReason(reviewer, action.orderId, action.receiptId, true)
    case "ReviewBack":
      return pickReason(reviewer, action.orderId, action.receiptId, false)
    case "Audience":
      return chooseAudience(pressed, action.broadcastId, action.audience)
    case "ChangeAudience":
      return changeAudience(pressed, action.broadcastId)
    case "SendBroadcast":
      return confirmBroadcast(pressed, action.broadcastId)
    case "CancelBroadcast":
      return cancelBroadcast(pressed, action.broadcastId)
    default:
      return Effect.succeed<Handled>({ notice: MENU_TEXTS.staleMenuButton })
  }
}

const studentAction = (action: Action, screen: Screen) => {
  switch (action._tag) {
    case "Overview":
      return withNothing(overview(screen))
    case "FreeClasses":
      return withNothing(listFreeClasses(screen))
    case "PaidCourses":
      return withNothing(listPaidCourses(screen))
    case "MyCourses":
      return withNothing(myCourses(screen))
    case "ShowCourse":
      return showCourse(screen, action.courseId)
    case "Enrol":
      return enrol(screen, action.courseId)
    case "Leave":
      return leave(screen, action.courseId)
    case "BuyCourse":
      return buyCourse({ chatId: screen.chatId, student: screen.student }, action.courseId)
    case "BuyBook":
      return buyBook({ chatId: screen.chatId, student: screen.student }, action.bookId)
    case "SkipNotes":
      return skipNotes(screen, action.orderId)
    case "CancelOrder":
      return cancel(screen, action.orderId)
    default:
      return Effect.succeed<Handled>({ notice: MENU_TEXTS.staleMenuButton })
  }
}

const withNothing = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<Handled, E, R> =>
  Effect.as(effect, {})
