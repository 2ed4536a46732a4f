import { Effect } from "effect"
import { summary } from "../domain/registration-question.ts"
import type { Reply } from "../domain/reply.ts"
import type { Student } from "../domain/student.ts"
import { contactText, overview } from "./classes.ts"
import { MENU, MENU_TEXTS } from "./menu-texts.ts"
import { showBooks } from "./orders.ts"
import { type ChatId, Messenger } from "./ports/messenger.ts"
import { useCase } from "./use-case.ts"

/** Button data of menu actions: they stay valid for as long as the student is registered. */
export const MENU_EDIT = "menu:edit"

export const mainMenu = (text: string): Reply => ({
  text,
  keyboard: [
    [{ label: MENU.classes }, { label: MENU.book }],
    [{ label: MENU.profile }, { label: MENU.editProfile }],
    [{ label: MENU.contact }],
  ],
})

export const profileCard = (student: Student): Reply => ({
  text: MENU_TEXTS.profile(summary(student.profile), student.registrationDate.toISOString().slice(0, 10)),
  choices: [[{ label: MENU.editProfile, data: MENU_EDIT }]],
})

export type MenuItem = keyof typeof MENU

export const menuItemOf = (text: string): MenuItem | undefined =>
  (Object.keys(MENU) as Array<MenuItem>).find((item) => MENU[item] === text.trim())

/** Answers a main-menu choice that needs no conversation (editing is started by edit-profile). */
export const showMenuItem = useCase("Menu.show")(function* (
  chat: ChatId,
  student: Student,
  item: Exclude<MenuItem, "editProfile">,
) {
  const messenger = yield* Messenger
  switch (item) {
    case "profile":
      return yield* Effect.asVoid(messenger.send(chat, profileCard(student)))
    case "classes":
      return yield* overview({ chatId: chat, student })
    case "book":
      return yield* showBooks(chat)
    case "contact":
      return yield* Effect.asVoid(messenger.send(chat, mainMenu(yield* contactText)))
  }
})
