import { Effect, Option } from "effect"
import { answer } from "../../domain/registration.ts"
import { type Answer, newRegistration } from "../../domain/registration-draft.ts"
import { question } from "../../domain/registration-question.ts"
import {
  fullName,
  type Profile,
  registerStudent,
  type Student,
  sameProfile,
  updateProfile,
} from "../../domain/student.ts"
import type { Handled, Who } from "../common/incoming.ts"
import { mainMenu } from "../common/main-menu.ts"
import { MENU_TEXTS } from "../common/menu-texts.ts"
import { useCase } from "../common/use-case.ts"
import { Announcements } from "../ports/announcements.ts"
import { currentDate } from "../ports/clock.ts"
import { type Conversation, DraftStore } from "../ports/draft-store.ts"
import { type ChatId, type MessageId, Messenger } from "../ports/messenger.ts"
import { StudentRepository } from "../ports/student-repository.ts"

/** Whose update it is, and (when the messenger numbers updates) which: the draft changes it makes carry it. */

/** Sends the draft's current question and remembers which message holds its buttons. */
export const askCurrent = useCase("Registration.ask")(function* (
  who: Who,
  conversation: Conversation,
  intro?: string,
) {
  const messenger = yield* Messenger
  const drafts = yield* DraftStore
  yield* retire(who.chatId, conversation.prompt)
  if (intro !== undefined) yield* messenger.send(who.chatId, { text: intro })
  const next = question(conversation.draft)
  const sent = yield* messenger.send(who.chatId, next)
  yield* drafts.put(who.userId, withPrompt(conversation.draft, next.choices ? sent : undefined), who.update)
})

/** /start for someone with no student record: a new registration, or the one in progress. */
export const startRegistration = useCase("Registration.start")(function* (who: Who) {
  const drafts = yield* DraftStore
  const existing = (yield* drafts.get(who.userId)).conversation
  yield* Option.match(existing, {
    onNone: () => askCurrent(who, { draft: newRegistration }, MENU_TEXTS.welcome),
    onSome: (conversation) => askCurrent(who, conversation),
  })
})

/**
 * Feeds one answer to the state machine and carries out what it decided. The replies go out first and the
 * draft change, which marks the update handled, last: a crash in between sends the replies again when
 * the update is delivered again (the same ones: the draft had not moved), and never loses them.
 */
export const answerRegistration = useCase("Registration.answer")(function* (
  who: Who,
  conversation: Conversation,
  input: Answer,
  pressed?: MessageId,
) {
  const messenger = yield* Messenger
  const drafts = yield* DraftStore
  const transition = answer(conversation.draft, input)
  switch (transition._tag) {
    case "Ignored":
      return { notice: transition.notice } satisfies Handled
    case "Cancelled": {
      yield* retire(who.chatId, conversation.prompt)
      const student = yield* (yield* StudentRepository).find(who.userId)
      const editing = transition.mode === "edit" && Option.isSome(student)
      yield* messenger.send(
        who.chatId,
        editing
          ? mainMenu(MENU_TEXTS.editCancelled)
          : { text: MENU_TEXTS.registrationCancelled, removeKeyboard: true },
      )
      yield* drafts.remove(who.userId, who.update)
      return {}
    }
    case "Done":
      yield* retire(who.chatId, conversation.prompt)
      yield* confirmRegistration(who, transition.mode, transition.profile)
      return {}
    case "Ask": {
      if (transition.inPlace && pressed !== undefined) {
        const [next] = transition.replies
        if (next !== undefined) yield* messenger.edit(who.chatId, pressed, next)
        yield* drafts.put(who.userId, withPrompt(transition.draft, pressed), who.update)
        return {}
      }
      yield* retire(who.chatId, conversation.prompt, transition.answered)
      let prompt: MessageId | undefined
      for (const reply of transition.replies) {
        const sent = yield* messenger.send(who.chatId, reply)
        prompt = reply.choices ? sent : undefined
      }
      yield* drafts.put(who.userId, withPrompt(transition.draft, prompt), who.update)
      return {}
    }
  }
})

/**
 * Stores the finished profile (new student, or an edit), shows the main menu, then ends the draft. A
 * student record that already holds this profile was stored by this same update before a crash (the draft
 * outlived it): it is not stored again, and the student gets the menu the crash kept from him.
 */
export const confirmRegistration = useCase("Registration.confirm")(function* (
  who: Who,
  mode: "register" | "edit",
  profile: Profile,
) {
  const students = yield* StudentRepository
  const drafts = yield* DraftStore
  const messenger = yield* Messenger
  const now = yield* currentDate
  const existing = yield* students.find(who.userId)
  const student: Student = Option.match(existing, {
    onNone: () => registerStudent(who.userId, profile, now),
    onSome: (current) =>
      sameProfile(current.profile, profile) ? current : updateProfile(current, profile, now),
  })
  if (Option.isNone(existing) || student !== existing.value) yield* students.save(student)
  if (mode === "register") yield* (yield* Announcements).registered(student)
  const text = mode === "register" ? MENU_TEXTS.registered(fullName(profile)) : MENU_TEXTS.updated
  yield* messenger.send(who.chatId, mainMenu(text))
  yield* drafts.remove(who.userId, who.update)
})

const withPrompt = (draft: Conversation["draft"], prompt: MessageId | undefined): Conversation =>
  prompt === undefined ? { draft } : { draft, prompt }

/** Takes the buttons off the previous question (showing the answer, when there is one). */
const retire = (chat: ChatId, prompt: MessageId | undefined, answered?: string) =>
  Effect.gen(function* () {
    if (prompt === undefined) return
    const messenger = yield* Messenger
    const done =
      answered === undefined
        ? messenger.clearButtons(chat, prompt)
        : messenger.edit(chat, prompt, { text: answered })
    // An old question that was deleted or already edited is no reason to fail the answer.
    yield* done.pipe(
      Effect.catchTag("MessengerError", (error) =>
        Effect.logDebug("could not retire a question", error.detail),
      ),
    )
  })
