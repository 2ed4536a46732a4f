import { Effect, Option } from "effect"
import type { Student } from "../../domain/student.ts"
import type { BotPorts } from "../ports/bot-ports.ts"
import type { Conversation } from "../ports/draft-store.ts"
import { type ChatId, type MessageId, Messenger, type MessengerError } from "../ports/messenger.ts"
import type { StorageError } from "../ports/storage-error.ts"
import type { StudentRecordDamaged } from "../ports/student-repository.ts"
import type { Action } from "./actions.ts"
import type { Handled, Screen, Who } from "./incoming.ts"
import { type MenuItem, mainMenu } from "./main-menu.ts"
import { MENU_TEXTS } from "./menu-texts.ts"

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
 * does. The router and `setMyCommands` are derived from the features' tables (features.ts): a command is added to its feature.
 */
export type CommandEntry = {
  readonly command: string
  readonly audience: "everyone" | "admins"
  readonly description?: string
  readonly run: (context: Context, argument: string) => Handling
}

/** The message whose button was pressed, and the chat it is in. */
export type Pressed = { readonly chatId: ChatId; readonly at: MessageId }

/** An admin who pressed a button: who they are, to say which admin decided. */
export type Reviewer = Pressed & { readonly adminId: number; readonly adminName: string }

type Of<T extends Action["_tag"]> = Extract<Action, { readonly _tag: T }>

/**
 * What a button does, for whom: a student's button needs the sender's record (a newcomer's press is stale),
 * an admin's an admin (anyone else's press is stale).
 */
export type ButtonEntry<T extends Action["_tag"]> =
  | {
      readonly audience: "students"
      readonly run: (action: Of<T>, screen: Screen & Pressed, who: Who) => Handling
    }
  | { readonly audience: "admins"; readonly run: (action: Of<T>, reviewer: Reviewer) => Handling }

/** A button entry as the router runs it: with any action (the table gives each entry only its own). */
export type AnyButtonEntry =
  | {
      readonly audience: "students"
      readonly run: (action: Action, screen: Screen & Pressed, who: Who) => Handling
    }
  | { readonly audience: "admins"; readonly run: (action: Action, reviewer: Reviewer) => Handling }

/** What a main-menu word does for a registered student. */
export type MenuEntry = (context: Context, student: Student) => Handling

/**
 * A feature's handlers: its commands (in the order of Telegram's command menu), what each of its buttons does
 * (typed per action: an action of the feature without its handler does not compile) and its main-menu words.
 * The router, the command menus and the button table are derived from the features (features.ts).
 */
export type Feature<Buttons extends Action["_tag"] = never, Items extends MenuItem = never> = {
  readonly commands: ReadonlyArray<CommandEntry>
  readonly buttons: { readonly [T in Buttons]: ButtonEntry<T> }
  readonly menu: { readonly [I in Items]: MenuEntry }
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
