import { Effect, Option } from "effect"
import type { Answer } from "../domain/registration-draft.ts"
import { parseAction } from "./common/actions.ts"
import { type Context, say, withNothing } from "./common/handler-table.ts"
import type { Incoming, StudentEvent, Who } from "./common/incoming.ts"
import { menuItemOf } from "./common/main-menu.ts"
import { MENU_TEXTS } from "./common/menu-texts.ts"
import { useCase } from "./common/use-case.ts"
import { runButton, runCommand, runMenuItem } from "./features.ts"
import { Admins, isAdmin } from "./ports/admins.ts"
import { currentDate } from "./ports/clock.ts"
import { alreadyHandled, DraftStore } from "./ports/draft-store.ts"
import { FlagStore } from "./ports/flag-store.ts"
import { Messenger } from "./ports/messenger.ts"
import { StorageHealth } from "./ports/storage-health.ts"
import { StudentRepository } from "./ports/student-repository.ts"
import { answerRegistration, startRegistration } from "./registration/register.ts"
import { answerOrder, openOrder } from "./shop/orders.ts"
import { receivePhoto } from "./shop/payments.ts"
import { SHOP_TEXTS } from "./shop/shop-texts.ts"

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
    alreadyHandled(state.handled, updateId, yield* currentDate)
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
  const context: Context = { who, student, conversation, admin, name: incoming.name }
  if (event._tag === "Command") return yield* runCommand(context, event.name, event.argument)

  if (event._tag === "Button") {
    const action = parseAction(event.data)
    if (action !== undefined) return yield* runButton(context, action, event.message)
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
      if (item !== undefined) return yield* runMenuItem(context, student.value, item)
      const order = yield* openOrder(who.userId)
      if (Option.isSome(order) && order.value.status === "collecting")
        return yield* answerOrder(who.chatId, order.value, { _tag: "Text", text: event.text })
      return yield* withNothing(say(context, MENU_TEXTS.menuHint))
    }
    case "Photo":
      return yield* withNothing(receivePhoto(who.chatId, student.value, event))
    case "Contact":
      return yield* withNothing(say(context, MENU_TEXTS.contactNotNeeded))
    default: {
      // e.g. a receipt sent as a file: say how to send it instead of "not understood"
      const order = yield* openOrder(who.userId)
      const awaiting = Option.isSome(order) && order.value.status === "awaiting_receipt"
      return yield* withNothing(
        say(context, awaiting ? SHOP_TEXTS.receiptAsPhoto : MENU_TEXTS.mediaNotNeeded),
      )
    }
  }
})
