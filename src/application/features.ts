import { Effect, Option } from "effect"
import type { Student } from "../domain/student.ts"
import { MODERATION, REPORTS } from "./admin/admin-feature.ts"
import { BROADCAST } from "./broadcast/broadcast-feature.ts"
import type { Action } from "./common/actions.ts"
import {
  type AnyButtonEntry,
  type ButtonEntry,
  type CommandEntry,
  type Context,
  type Handling,
  type MenuEntry,
  say,
  stale,
  withNothing,
} from "./common/handler-table.ts"
import type { MenuItem } from "./common/main-menu.ts"
import { MENU_TEXTS } from "./common/menu-texts.ts"
import { useCase } from "./common/use-case.ts"
import { HELP } from "./help/help-feature.ts"
import { Admins } from "./ports/admins.ts"
import { type Command, type MessageId, Messenger } from "./ports/messenger.ts"
import { PROFILE } from "./profile/profile-feature.ts"
import { REGISTRATION } from "./registration/registration-feature.ts"
import { SHOP } from "./shop/shop-feature.ts"

/**
 * Every feature of the bot. The command menus list their commands in this order; the router finds a
 * command, a button and a main-menu word here. A feature is added by writing its table and naming it here.
 */
export const FEATURES = [REGISTRATION, SHOP, PROFILE, HELP, REPORTS, BROADCAST, MODERATION] as const

/** Every command, in the order of Telegram's command menu. */
export const COMMANDS: ReadonlyArray<CommandEntry> = FEATURES.flatMap((feature) => feature.commands)

/** Every button action's handler (this does not compile while an action has none). */
export const BUTTONS: { readonly [T in Action["_tag"]]: ButtonEntry<T> } = {
  ...PROFILE.buttons,
  ...SHOP.buttons,
  ...BROADCAST.buttons,
}

/** What each main-menu word does (this does not compile while a word has no handler). */
export const MENU_ITEMS: { readonly [I in MenuItem]: MenuEntry } = {
  ...SHOP.menu,
  ...PROFILE.menu,
  ...HELP.menu,
}

const byWord = new Map(COMMANDS.map((entry) => [entry.command, entry]))

/** The command's handler, or an "unknown command" answer (also to a student trying an admin's command). */
export const runCommand = (context: Context, name: string, argument: string): Handling => {
  const entry = byWord.get(name)
  if (entry === undefined || (entry.audience === "admins" && !context.admin))
    return withNothing(say(context, MENU_TEXTS.unknownCommand))
  return entry.run(context, argument)
}

/** Runs a pressed button's action for whoever may press it; to anyone else it is a stale button. */
export const runButton = (context: Context, action: Action, at: MessageId): Handling => {
  const pressed = { chatId: context.who.chatId, at }
  // each entry's `run` is only ever given its own action (the table is keyed by the action's tag)
  const entry = BUTTONS[action._tag] as AnyButtonEntry
  if (entry.audience === "admins") {
    if (!context.admin) return stale
    const adminName = context.name ?? `ادمین ${context.who.userId}`
    return entry.run(action, { ...pressed, adminId: context.who.userId, adminName })
  }
  if (Option.isNone(context.student)) return stale
  return entry.run(action, { ...pressed, student: context.student.value }, context.who)
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

/** Runs a main-menu word for a registered student. */
export const runMenuItem = (context: Context, student: Student, item: MenuItem): Handling =>
  MENU_ITEMS[item](context, student)
