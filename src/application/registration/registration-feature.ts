import { Effect, Option } from "effect"
import { fullName } from "../../domain/student.ts"
import { type Context, type Feature, type Handling, say, withNothing } from "../common/handler-table.ts"
import { MENU_TEXTS } from "../common/menu-texts.ts"
import { cancel, openOrder } from "../shop/orders.ts"
import { answerRegistration, startRegistration } from "./register.ts"

/** /cancel: the conversation in progress, else the order still open, else nothing to cancel. */
const cancelWhatIsOpen = (context: Context): Handling =>
  Effect.gen(function* () {
    const { who, conversation, student } = context
    if (Option.isSome(conversation))
      return yield* answerRegistration(who, conversation.value, { _tag: "Text", text: "انصراف" })
    if (Option.isSome(student)) {
      const order = yield* openOrder(who.userId)
      if (Option.isSome(order))
        return yield* cancel({ chatId: who.chatId, student: student.value }, order.value.id)
    }
    return yield* withNothing(say(context, MENU_TEXTS.nothingToCancel))
  })

/**
 * Registration: /start and /cancel. Its buttons are the registration machine's own (domain/registration-
 * question.ts writes and reads them); the router gives them to the conversation in progress.
 */
export const REGISTRATION: Feature = {
  commands: [
    {
      command: "start",
      audience: "everyone",
      description: "شروع یا ادامهٔ ثبت‌نام",
      run: (context) =>
        Option.isSome(context.conversation) || Option.isNone(context.student)
          ? withNothing(startRegistration(context.who))
          : withNothing(say(context, MENU_TEXTS.welcomeBack(fullName(context.student.value.profile)))),
    },
    { command: "cancel", audience: "everyone", run: cancelWhatIsOpen },
  ],
  buttons: {},
  menu: {},
}
