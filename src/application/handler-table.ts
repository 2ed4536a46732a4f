import { Effect, Option } from "effect"
import type { Student } from "../domain/student.ts"
import type { BotPorts } from "./bot-ports.ts"
import type { Screen } from "./classes.ts"
import type { Handled } from "./incoming.ts"
import { mainMenu } from "./menu.ts"
import { MENU_TEXTS } from "./menu-texts.ts"
import type { Conversation } from "./ports/draft-store.ts"
import { Messenger, type MessengerError } from "./ports/messenger.ts"
import type { StorageError } from "./ports/storage-error.ts"
import type { StudentRecordDamaged } from "./ports/student-repository.ts"
import type { Who } from "./register.ts"

/** What a handler of a command or a button may fail with, and the ports it may use. */
export type Handling = Effect.Effect<Handled, StorageError | StudentRecordDamaged | MessengerError, BotPorts>

/** What the router knows when a command or a button reaches its handler. */
export type Context = {
  readonly who: Who
  /** The sender's stored record (none for a newcomer, or one whose record was set aside as damaged). */
  readonly student: Option.Option<Student>
  /** The registration or profile edit in progress. */
  readonly conversation: Option.Option<Conversation>
  readonly admin: boolean
  /** The sender's name as the messenger shows it (e.g. to say which admin decided). */
  readonly name: string | undefined
}

/**
 * One command: its word, who may use it, its line in Telegram's command menu (none: not listed) and what it
 * does. The router and `setMyCommands` are derived from the table (commands.ts): a command is added there.
 */
export type CommandEntry = {
  readonly command: string
  readonly audience: "everyone" | "admins"
  readonly description?: string
  readonly run: (context: Context, argument: string) => Handling
}

/** The handler ran for what it said; there is nothing for the adapter to finish. */
export const withNothing = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<Handled, E, R> =>
  Effect.as(effect, {})

/** A text in the chat, with the main menu's keyboard for a registered student. */
export const say = (context: Context, text: string) =>
  Effect.flatMap(Messenger, (messenger) =>
    messenger.send(context.who.chatId, Option.isSome(context.student) ? mainMenu(text) : { text }),
  )

/** Runs a screen of a registered student; a newcomer is told to register first. */
export const whenRegistered = (
  context: Context,
  run: (screen: Screen) => Effect.Effect<unknown, StorageError | MessengerError, BotPorts>,
): Handling =>
  Option.isSome(context.student)
    ? withNothing(run({ chatId: context.who.chatId, student: context.student.value }))
    : withNothing(say(context, MENU_TEXTS.notRegistered))

/** A button that no longer means anything (an old message's, or one this sender may not press). */
export const stale: Handling = Effect.succeed({ notice: MENU_TEXTS.staleMenuButton })
