import assert from "node:assert/strict"
import type { BotApiEmulator, ChatMessage, FakeUser } from "../../playground/bot-api-emulator.ts"

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
  const say = (text: string) => emulator.sendText(user, text)
  /** Presses the button whose label contains `label` on the newest bot message that has one. */
  const press = (label: string) => {
    const message = [...emulator.messages(user.id)]
      .reverse()
      .find((candidate) => inlineButtons(candidate).some((button) => button.text.includes(label)))
    const button = inlineButtons(message).find((candidate) => candidate.text.includes(label))
    assert.ok(message && button?.callback_data, `no button «${label}» on screen for ${user.id}`)
    const update = emulator.pressButton(user, message.message_id, button.callback_data)
    queries.push(update.callback_query.id)
    return { message, data: button.callback_data }
  }
  /** /start, names and grade, each once its question is on screen: the bot is then asking for the major. */
  const answerUpToMajor = async (
    answers: { first: string; last: string; grade: string },
    pause: () => Promise<unknown> = async () => {},
  ) => {
    say("/start")
    await expect(/نام خود را به فارسی/)
    await pause()
    say(answers.first)
    await expect(/نام خانوادگی/)
    await pause()
    say(answers.last)
    await expect(/پایهٔ تحصیلی/)
    await pause()
    press(answers.grade)
    await expect(/رشتهٔ تحصیلی/)
  }
  /**
   * The whole registration, from /start to the confirmation, with a shared contact: each answer given once,
   * `pause` (a person's think time) before each.
   */
  const register = async (
    answers: { first: string; last: string; grade: string; phone: string },
    pause: () => Promise<unknown> = async () => {},
  ) => {
    await answerUpToMajor(answers, pause)
    await pause()
    press("ریاضی")
    await expect(/استان محل زندگی/)
    await pause()
    press("بعدی")
    // the page turns in the message pressed, which need not be the newest (after a crash, a question may come twice)
    await emulator.waitFor(
      () =>
        emulator
          .messages(user.id)
          .some((message) => inlineButtons(message).some((button) => button.text.includes("فارس"))),
      timeoutMs,
    )
    await pause()
    press("فارس")
    await expect(/شهر خود را/)
    await pause()
    press("شیراز")
    await expect(/شماره موبایل/)
    await pause()
    emulator.sendContact(user, { phone_number: answers.phone, user_id: user.id })
    await expect(/بررسی کنید/)
    await pause()
    press("تایید")
    await expect(/ثبت‌نام شما با موفقیت/)
  }
  return {
    user,
    register,
    queries,
    last,
    expect,
    botMessageCount,
    say,
    shareContact: (phone: string, userId = user.id) =>
      emulator.sendContact(user, { phone_number: phone, user_id: userId }),
    press,
    answerUpToMajor,
    buttons: (message = last()) => inlineButtons(message).map((button) => button.text),
  }
}
