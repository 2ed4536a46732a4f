import { Effect } from "effect"
import { type Feature, whenRegistered, withNothing } from "../common/handler-table.ts"
import { profileCard } from "../common/main-menu.ts"
import { asUseCase } from "../common/use-case.ts"
import { Messenger } from "../ports/messenger.ts"
import { beginEdit } from "./edit-profile.ts"

const showProfile = (chatId: number, student: Parameters<typeof profileCard>[0]) =>
  Effect.flatMap(Messenger, (messenger) => messenger.send(chatId, profileCard(student)))

/** The student's profile: /profile, the card's «ویرایش» button, and the menu's two profile words. */
export const PROFILE: Feature<"EditProfile", "profile" | "editProfile"> = {
  commands: [
    {
      command: "profile",
      audience: "everyone",
      description: "پروفایل من و ویرایش آن",
      run: (context) => whenRegistered(context, (screen) => showProfile(screen.chatId, screen.student)),
    },
  ],
  buttons: {
    EditProfile: {
      audience: "students",
      run: (_, screen, who) => withNothing(beginEdit(who, screen.student)),
    },
  },
  menu: {
    profile: (context, student) =>
      withNothing(asUseCase("Menu.show")(showProfile(context.who.chatId, student))),
    editProfile: (context, student) => withNothing(beginEdit(context.who, student)),
  },
}
