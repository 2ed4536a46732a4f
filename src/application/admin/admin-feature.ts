import { type Feature, withNothing } from "../common/handler-table.ts"
import { exportRecords, setBan } from "./admin.ts"
import { statistics } from "./stats.ts"

/** The admins' reports: statistics and charts, CSV exports. */
export const REPORTS: Feature = {
  commands: [
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
  ],
  buttons: {},
  menu: {},
}

/** Bans: a banned student is told once, then ignored. */
export const MODERATION: Feature = {
  commands: [
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
      run: (context, argument) =>
        withNothing(setBan(context.who.chatId, context.who.userId, argument, false)),
    },
  ],
  buttons: {},
  menu: {},
}
