import { Effect, Option } from "effect"
import { fullName } from "../domain/student.ts"
import { exportRecords, setBan } from "./admin.ts"
import { draftBroadcast } from "./broadcast.ts"
import { contactText, myCourses, overview } from "./classes.ts"
import {
  type CommandEntry,
  type Context,
  type Handling,
  say,
  whenRegistered,
  withNothing,
} from "./handler-table.ts"
import { profileCard } from "./menu.ts"
import { MENU_TEXTS } from "./menu-texts.ts"
import { cancel, openOrder, showBooks } from "./orders.ts"
import { Admins } from "./ports/admins.ts"
import { type Command, Messenger } from "./ports/messenger.ts"
import { answerRegistration, startRegistration } from "./register.ts"
import { statistics } from "./stats.ts"
import { useCase } from "./use-case.ts"

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

/** Every command, in the order of Telegram's command menu. */
export const COMMANDS: ReadonlyArray<CommandEntry> = [
  {
    command: "start",
    audience: "everyone",
    description: "شروع یا ادامهٔ ثبت‌نام",
    run: (context) =>
      Option.isSome(context.conversation) || Option.isNone(context.student)
        ? withNothing(startRegistration(context.who))
        : withNothing(say(context, MENU_TEXTS.welcomeBack(fullName(context.student.value.profile)))),
  },
  {
    command: "courses",
    audience: "everyone",
    description: "کلاس‌های رایگان و دوره‌های ویژه",
    run: (context) => whenRegistered(context, overview),
  },
  {
    command: "mycourses",
    audience: "everyone",
    description: "کلاس‌ها و دوره‌های من",
    run: (context) => whenRegistered(context, myCourses),
  },
  {
    command: "book",
    audience: "everyone",
    description: "کتاب انفجار خلاقیت ریاضی و سفارش آن",
    run: (context) => whenRegistered(context, (screen) => showBooks(screen.chatId)),
  },
  {
    command: "profile",
    audience: "everyone",
    description: "پروفایل من و ویرایش آن",
    run: (context) =>
      whenRegistered(context, (screen) =>
        Effect.flatMap(Messenger, (messenger) => messenger.send(screen.chatId, profileCard(screen.student))),
      ),
  },
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
  { command: "cancel", audience: "everyone", run: cancelWhatIsOpen },
  {
    command: "stats",
    audience: "admins",
    description: "آمار و نمودارها؛ یک نمودار: /stats days، grades، provinces یا receipts",
    run: (context, argument) => withNothing(statistics(context.who.chatId, argument)),
  },
  {
    command: "export",
    audience: "admins",
    description: "خروجی CSV (اختیاری: پایه، مثلاً /export دهم)",
    run: (context, argument) => withNothing(exportRecords(context.who.chatId, argument)),
  },
  {
    command: "broadcast",
    audience: "admins",
    description: "پیام همگانی: /broadcast متن پیام",
    run: (context, argument) => withNothing(draftBroadcast(context.who.chatId, context.who.userId, argument)),
  },
  {
    command: "ban",
    audience: "admins",
    description: "مسدود کردن: /ban شناسه",
    run: (context, argument) => withNothing(setBan(context.who.chatId, context.who.userId, argument, true)),
  },
  {
    command: "unban",
    audience: "admins",
    description: "رفع مسدودی: /unban شناسه",
    run: (context, argument) => withNothing(setBan(context.who.chatId, context.who.userId, argument, false)),
  },
]

const byWord = new Map(COMMANDS.map((entry) => [entry.command, entry]))

/** The command's handler, or an "unknown command" answer (also to a student trying an admin's command). */
export const runCommand = (context: Context, name: string, argument: string): Handling => {
  const entry = byWord.get(name)
  if (entry === undefined || (entry.audience === "admins" && !context.admin))
    return withNothing(say(context, MENU_TEXTS.unknownCommand))
  return entry.run(context, argument)
}

const menuOf = (entries: ReadonlyArray<CommandEntry>): ReadonlyArray<Command> =>
  entries.flatMap(({ command, description }) => (description === undefined ? [] : [{ command, description }]))

export const STUDENT_COMMANDS = menuOf(COMMANDS.filter((entry) => entry.audience === "everyone"))
export const ADMIN_COMMANDS = [
  ...STUDENT_COMMANDS,
  ...menuOf(COMMANDS.filter((entry) => entry.audience === "admins")),
]

/** The command menu for everyone, and the longer one in each admin's chat; a failure is only logged. */
export const registerCommands = useCase("Commands.register")(function* () {
  const messenger = yield* Messenger
  const { ids } = yield* Admins
  yield* messenger
    .setCommands(STUDENT_COMMANDS)
    .pipe(Effect.catchAll((error) => Effect.logWarning("could not set the command menu", error.detail)))
  for (const admin of ids) {
    yield* messenger
      .setCommands(ADMIN_COMMANDS, admin)
      .pipe(
        Effect.catchAll((error) =>
          Effect.logWarning(`could not set admin ${admin}'s command menu`, error.detail),
        ),
      )
  }
})
