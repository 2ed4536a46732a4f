import { summary } from "../../domain/registration-question.ts"
import type { Reply } from "../../domain/reply.ts"
import type { Student } from "../../domain/student.ts"
import { choice } from "./actions.ts"
import { MENU, MENU_TEXTS } from "./menu-texts.ts"

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
  // the button stays valid for as long as the student is registered
  choices: [[choice(MENU.editProfile, { _tag: "EditProfile" })]],
})

export type MenuItem = keyof typeof MENU

export const menuItemOf = (text: string): MenuItem | undefined =>
  (Object.keys(MENU) as Array<MenuItem>).find((item) => MENU[item] === text.trim())
