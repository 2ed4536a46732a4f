import type { Student, UserId } from "../../domain/student.ts"
import type { ChatId, MessageId } from "../ports/messenger.ts"

/** What a student did, independent of the messenger it came through. */
export type StudentEvent =
  | { readonly _tag: "Command"; readonly name: string; readonly argument: string }
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "Button"; readonly data: string; readonly queryId: string; readonly message: MessageId }
  | { readonly _tag: "Contact"; readonly phone: string; readonly contactUserId: number | undefined }
  | { readonly _tag: "Photo"; readonly fileId: string; readonly fileUniqueId: string }
  | { readonly _tag: "Unsupported" }

export type Incoming = {
  readonly userId: UserId
  readonly chatId: ChatId
  readonly event: StudentEvent
  /** The sender's name as the messenger shows it (e.g. to say which admin decided). */
  readonly name?: string
  /** The messenger's id for the update, increasing: a change stored for it marks it handled (DraftStore). */
  readonly updateId?: number
}

/** What handling left for the adapter to finish: the toast of a pressed button. */
export type Handled = { readonly notice?: string }

/** Who sent an update, where to answer, and the update's id (a change stored for it marks it handled). */
export type Who = { readonly userId: UserId; readonly chatId: ChatId; readonly update?: number }

/** Where a registered student's screen is shown: in place of the pressed message `at`, else as a new one. */
export type Screen = { readonly chatId: ChatId; readonly student: Student; readonly at?: MessageId }
