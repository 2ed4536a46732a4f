/** A message the bot wants to show, as data: adapters decide how it looks in a messenger. */
export type Reply = {
  /** Plain text; the renderer escapes it for whatever markup the messenger uses. */
  readonly text: string
  /** Buttons under the message, row by row. */
  readonly choices?: ReadonlyArray<ReadonlyArray<Choice>>
  /** Buttons that replace the phone keyboard, row by row. */
  readonly keyboard?: ReadonlyArray<ReadonlyArray<KeyboardButton>>
  /** Takes a previous `keyboard` away. */
  readonly removeKeyboard?: true
  /** Parts of the text shown so that one tap copies them (e.g. a card number). */
  readonly copyable?: ReadonlyArray<string>
}

export type Choice = { readonly label: string; readonly data: string }

export type KeyboardButton = { readonly label: string; readonly requestContact?: true }

export const reply = (text: string, extra: Omit<Reply, "text"> = {}): Reply => ({ text, ...extra })
