import { Cause, Effect, Option } from "effect"
import type { Answer } from "../domain/registration.ts"
import { fullName } from "../domain/student.ts"
import { beginEdit } from "./edit-profile.ts"
import type { Handled, Incoming, StudentEvent } from "./incoming.ts"
import { MENU_EDIT, mainMenu, menuItemOf, profileCard, showMenuItem } from "./menu.ts"
import { MENU_TEXTS } from "./menu-texts.ts"
import { DraftStore } from "./ports/draft-store.ts"
import { Ids } from "./ports/ids.ts"
import { Messenger } from "./ports/messenger.ts"
import { StudentRepository } from "./ports/student-repository.ts"
import { answerRegistration, startRegistration, type Who } from "./register.ts"

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

/** Routes one event to its use case: commands first, then the conversation in progress, then the menu. */
const route = Effect.fn("Bot.route")(function* (incoming: Incoming) {
  const { event } = incoming
  const who: Who = { userId: incoming.userId, chatId: incoming.chatId }
  const messenger = yield* Messenger
  const drafts = yield* DraftStore
  const student = yield* (yield* StudentRepository).find(who.userId)
  const conversation = yield* drafts.get(who.userId)
  const say = (text: string) => messenger.send(who.chatId, Option.isSome(student) ? mainMenu(text) : { text })

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
        return yield* withNothing(say(MENU_TEXTS.nothingToCancel))
      case "profile":
        return yield* withNothing(
          Option.isSome(student)
            ? messenger.send(who.chatId, profileCard(student.value))
            : say(MENU_TEXTS.notRegistered),
        )
      case "help":
        return yield* withNothing(say(MENU_TEXTS.help))
      default:
        return yield* withNothing(say(MENU_TEXTS.unknownCommand))
    }
  }

  if (event._tag === "Button" && event.data === MENU_EDIT) {
    if (Option.isNone(student)) return { notice: MENU_TEXTS.staleMenuButton }
    return yield* withNothing(beginEdit(who, student.value))
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
      return yield* withNothing(say(MENU_TEXTS.menuHint))
    }
    case "Contact":
      return yield* withNothing(say(MENU_TEXTS.contactNotNeeded))
    default:
      return yield* withNothing(say(MENU_TEXTS.mediaNotNeeded))
  }
})

const withNothing = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<Handled, E, R> =>
  Effect.as(effect, {})

/**
 * Handles one event end to end. Nothing escapes: an unexpected failure gets an error ID, is logged
 * with its cause, and the student is told in one sentence with that ID.
 */
export const handleIncoming = Effect.fn("Bot.handle")(function* (incoming: Incoming) {
  return yield* route(incoming).pipe(
    Effect.catchAllCause((cause) =>
      Effect.gen(function* () {
        const id = yield* (yield* Ids).next
        yield* Effect.logError(`update failed [${id}]`, Cause.pretty(cause)).pipe(
          Effect.annotateLogs({ errorId: id, userId: incoming.userId }),
        )
        const text = MENU_TEXTS.unexpectedError(id)
        const messenger = yield* Messenger
        if (incoming.event._tag === "Button") return { notice: text } satisfies Handled
        yield* messenger.send(incoming.chatId, { text }).pipe(Effect.ignore)
        return {} satisfies Handled
      }),
    ),
  )
})
