import { Effect } from "effect"
import { type Feature, say, withNothing } from "../common/handler-table.ts"
import { mainMenu } from "../common/main-menu.ts"
import { MENU_TEXTS } from "../common/menu-texts.ts"
import { asUseCase } from "../common/use-case.ts"
import { Messenger } from "../ports/messenger.ts"
import { contactText } from "../shop/classes.ts"

/** How to reach Ostad Hatami, and how to use the bot. */
export const HELP: Feature<never, "contact"> = {
  commands: [
    {
      command: "contact",
      audience: "everyone",
      description: "راه‌های تماس با استاد حاتمی",
      run: (context) => withNothing(Effect.flatMap(contactText, (text) => say(context, text))),
    },
    {
      command: "help",
      audience: "everyone",
      description: "راهنمای ربات",
      run: (context) => withNothing(say(context, context.admin ? MENU_TEXTS.adminHelp : MENU_TEXTS.help)),
    },
  ],
  buttons: {},
  menu: {
    contact: (context) =>
      withNothing(
        asUseCase("Menu.show")(
          Effect.flatMap(Messenger, (messenger) =>
            Effect.flatMap(contactText, (text) => messenger.send(context.who.chatId, mainMenu(text))),
          ),
        ),
      ),
  },
}
