import assert from "node:assert/strict"
import type { BotApiEmulator, ChatMessage, FakeUser } from "../../src/playground/bot-api-emulator.ts"

const inlineButtons = (message: ChatMessage | undefined) =>
  message?.reply_markup !== undefined && "inline_keyboard" in message.reply_markup
    ? message.reply_markup.inline_keyboard.flat()
    : []

/** Acts as one student in the emulator and waits for the bot's answers, as a person would. */
export const studentDriver = (emulator: BotApiEmulator, user: FakeUser, timeoutMs = 5000) => {
  const queries: Array<string> = []
  const last = () => emulator.lastMessage(user.id)
  const botMessageCount = () => emulator.messages(user.id).length
  /** Waits until the bot's newest message (as it looks now) matches. */
  const expect = (pattern: RegExp) =>
    emulator.waitFor(() => {
      const message = last()
      return message?.plainText !== undefined && pattern.test(message.plainText) ? message : undefined
    }, timeoutMs)
  return {
    user,
    queries,
    last,
    expect,
    botMessageCount,
    say: (text: string) => emulator.sendText(user, text),
    shareContact: (phone: string, userId = user.id) =>
      emulator.sendContact(user, { phone_number: phone, user_id: userId }),
    /** Presses the button whose label contains `label` on the newest bot message that has one. */
    press: (label: string) => {
      const message = [...emulator.messages(user.id)]
        .reverse()
        .find((candidate) => inlineButtons(candidate).some((button) => button.text.includes(label)))
      const button = inlineButtons(message).find((candidate) => candidate.text.includes(label))
      assert.ok(message && button?.callback_data, `no button «${label}» on screen for ${user.id}`)
      const update = emulator.pressButton(user, message.message_id, button.callback_data)
      queries.push(update.callback_query.id)
      return { message, data: button.callback_data }
    },
    buttons: (message = last()) => inlineButtons(message).map((button) => button.text),
  }
}
