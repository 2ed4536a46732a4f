import { Effect } from "effect"
import { Admins } from "./ports/admins.ts"
import { type Command, Messenger } from "./ports/messenger.ts"
import { useCase } from "./use-case.ts"

export const STUDENT_COMMANDS: ReadonlyArray<Command> = [
  { command: "start", description: "شروع یا ادامهٔ ثبت‌نام" },
  { command: "courses", description: "کلاس‌های رایگان و دوره‌های ویژه" },
  { command: "mycourses", description: "کلاس‌ها و دوره‌های من" },
  { command: "book", description: "کتاب انفجار خلاقیت ریاضی و سفارش آن" },
  { command: "profile", description: "پروفایل من و ویرایش آن" },
  { command: "contact", description: "راه‌های تماس با استاد حاتمی" },
  { command: "help", description: "راهنمای ربات" },
]

export const ADMIN_COMMANDS: ReadonlyArray<Command> = [
  ...STUDENT_COMMANDS,
  { command: "stats", description: "آمار و نمودارها؛ یک نمودار: /stats days، grades، provinces یا receipts" },
  { command: "export", description: "خروجی CSV (اختیاری: پایه، مثلاً /export دهم)" },
  { command: "broadcast", description: "پیام همگانی: /broadcast متن پیام" },
  { command: "ban", description: "مسدود کردن: /ban شناسه" },
  { command: "unban", description: "رفع مسدودی: /unban شناسه" },
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
