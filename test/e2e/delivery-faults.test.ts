import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { type BotApiEmulator, startBotApiEmulator } from "../../playground/bot-api-emulator.ts"
import { NOTICES } from "../../src/domain/registration-texts.ts"
import { type BotProcess, startBot, temporaryDirectory } from "../support/bot-process.ts"
import { untilReady } from "../support/delivery.ts"
import { studentDriver } from "../support/student-driver.ts"

const sends = (emulator: BotApiEmulator, chat: number) =>
  emulator.callsTo("sendMessage").filter((call) => call.params.chat_id === chat)

describe("delivery under Bot API faults: the real bot process", () => {
  let emulator: BotApiEmulator
  let bot: BotProcess

  before(async () => {
    emulator = await startBotApiEmulator()
    bot = startBot({
      BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.url,
      USERS_DIR: await temporaryDirectory("users-"),
      RECORDS_DIR: await temporaryDirectory("records-"),
    })
    await untilReady(bot, emulator, "polling for updates")
  })

  after(async () => {
    await bot.stop()
    await emulator.close()
  })

  it("retries 500, 502 and a reset socket on a send, and the student gets one answer", async () => {
    emulator.injectFault({ kind: "500", method: "sendMessage" })
    emulator.injectFault({ kind: "502", method: "sendMessage" })
    emulator.injectFault({ kind: "reset", method: "sendMessage" })
    const ali = studentDriver(emulator, { id: 7001, first_name: "Ali" }, 15_000)
    ali.say("/start")
    await ali.expect(/نام خود را به فارسی/)
    assert.deepEqual(
      sends(emulator, 7001).map((call) => call.fault ?? call.status),
      ["500", "502", "reset", 200, 200],
    )
    assert.equal(emulator.messages(7001).length, 2, "welcome and question, once each")
  })

  it("waits out a 429 for one chat while other chats go on", async () => {
    emulator.injectFault({ kind: "429", retryAfter: 3, method: "sendMessage" })
    const slow = studentDriver(emulator, { id: 7002, first_name: "Slow" }, 15_000)
    const quick = studentDriver(emulator, { id: 7003, first_name: "Quick" }, 15_000)
    slow.say("/start")
    await emulator.waitFor(() => sends(emulator, 7002).some((call) => call.status === 429), 10_000)
    quick.say("/start")
    await quick.expect(/نام خود را به فارسی/)
    assert.equal(emulator.messages(7002).length, 0, "the limited chat still waits")
    await slow.expect(/نام خود را به فارسی/)
    assert.equal(sends(emulator, 7002).filter((call) => call.status === 200).length, 2)
  })

  it("keeps polling through getUpdates 500, reset and 409, and says what 409 means", async () => {
    emulator.injectFault({ kind: "500", method: "getUpdates" })
    emulator.injectFault({ kind: "reset", method: "getUpdates" })
    emulator.injectFault({ kind: "409", method: "getUpdates" })
    const sara = studentDriver(emulator, { id: 7004, first_name: "Sara" }, 15_000)
    sara.say("/start")
    await sara.expect(/نام خود را به فارسی/)
    await emulator.waitFor(() => emulator.pendingFaults() === 0, 5000)
    sara.say("سارا")
    await sara.expect(/نام خانوادگی/)
    assert.match(
      bot.output(),
      /409 Conflict: a webhook is set for this bot, or another instance of it is polling/,
    )
  })

  it("does not retry a refusal: it logs an error ID and tells the student", async () => {
    emulator.injectFault({ kind: "400", description: "chat not found", method: "sendMessage" })
    const reza = studentDriver(emulator, { id: 7005, first_name: "Reza" }, 15_000)
    reza.say("/start")
    await reza.expect(/این کد را به پشتیبانی بگویید: (\w+)/)
    const id = /پشتیبانی بگویید: (\w+)/.exec(emulator.lastMessage(7005)?.plainText ?? "")?.[1] ?? "?"
    assert.equal(
      sends(emulator, 7005).filter((call) => call.status === 400).length,
      1,
      "sent once, not retried",
    )
    await emulator.waitFor(() => bot.output().includes(id), 10_000)
  })

  it("counts 'message is not modified' as done, and answers a button once even through a 500", async () => {
    const nima = studentDriver(emulator, { id: 7006, first_name: "Nima" }, 15_000)
    await nima.answerUpToMajor({ first: "نیما", last: "کریمی", grade: "دهم" })
    nima.press("ریاضی")
    await nima.expect(/استان/)
    await emulator.waitFor(() => nima.queries.every((id) => emulator.callbackAnswers(id) === 1), 10_000)
    emulator.injectFault({ kind: "400", description: "message is not modified", method: "editMessageText" })
    emulator.injectFault({ kind: "500", method: "answerCallbackQuery" })
    const paging = nima.press("بعدی")
    const query = nima.queries.at(-1) ?? "?"
    await emulator.waitFor(() => emulator.callbackAnswers(query) === 1, 10_000)
    assert.ok(paging.data.length > 0)
    // nothing went wrong for the student: no error ID, the next page still works
    assert.doesNotMatch(emulator.lastMessage(7006)?.plainText ?? "", /پشتیبانی/)
    const answers = emulator
      .callsTo("answerCallbackQuery")
      .filter((call) => call.params.callback_query_id === query)
    assert.deepEqual(
      answers.map((call) => call.status),
      [500, 200],
    )
  })

  it("escapes whatever a student types or is called: no send fails to parse", async () => {
    const odd = studentDriver(
      emulator,
      { id: 7007, first_name: "<b>*_[x]&amp;</b>", last_name: "<i>&<>" },
      15_000,
    )
    odd.say("/start")
    await odd.expect(/نام خود را به فارسی/)
    odd.say("<b>علی</b> & *_[]")
    await odd.expect(/نام خود را به فارسی|حروف فارسی/)
    odd.say("</code><pre>&lt;&")
    await emulator.waitFor(() => emulator.messages(7007).length >= 4, 10_000)
    const refused = emulator.calls.filter((call) => call.status === 400 && call.fault === undefined)
    assert.deepEqual(
      refused.map((call) => JSON.stringify(call.response)),
      [],
    )
  })

  it("answers stale, forged and double-tapped buttons once, with a notice, and changes nothing", async () => {
    const tara = studentDriver(emulator, { id: 7008, first_name: "Tara" }, 15_000)
    tara.say("/start")
    await tara.expect(/نام خود را به فارسی/)
    tara.say("تارا")
    await tara.expect(/نام خانوادگی/)
    tara.say("احمدی")
    const grade = await tara.expect(/پایهٔ تحصیلی/)
    // a double tap: two presses of the same button before the bot answers either
    const first = tara.press("دهم")
    const firstQuery = tara.queries.at(-1) ?? "?"
    const secondQuery = emulator.pressButton(tara.user, grade.message_id, first.data).callback_query.id
    await tara.expect(/رشتهٔ تحصیلی/)
    await emulator.waitFor(() => emulator.callbackAnswers(secondQuery) === 1, 10_000)
    assert.equal(emulator.callbackAnswers(firstQuery), 1)
    assert.equal(emulator.callbackAnswerLog(secondQuery)[0]?.text, NOTICES.staleButton)
    const majors = emulator.messages(7008).filter((message) => /رشتهٔ تحصیلی/.test(message.plainText ?? ""))
    assert.equal(majors.length, 1, "one transition for two taps")

    const before = emulator.messages(7008).length
    // a stale button: the grade question's button again, long after it was answered
    const stale = emulator.pushRawUpdate({
      callback_query: {
        id: "stale-1",
        from: { id: 7008, is_bot: false, first_name: "Tara" },
        message: { message_id: grade.message_id, date: 0, chat: { id: 7008, type: "private" } },
        chat_instance: "x",
        data: first.data,
      },
    })
    // a forged button: data the bot never sent
    emulator.pushRawUpdate({
      callback_query: {
        id: "forged-1",
        from: { id: 7008, is_bot: false, first_name: "Tara" },
        message: { message_id: grade.message_id, date: 0, chat: { id: 7008, type: "private" } },
        chat_instance: "x",
        data: "grade:99:<script>",
      },
    })
    // Telegram would refuse these made-up query ids; what matters is that the bot answered each once
    const answersTo = (id: string) =>
      emulator.callsTo("answerCallbackQuery").filter((call) => call.params.callback_query_id === id)
    await emulator.waitFor(() => answersTo("stale-1").length > 0 && answersTo("forged-1").length > 0, 10_000)
    assert.ok(stale.update_id > 0)
    assert.deepEqual(
      answersTo("stale-1").map((call) => call.params.text),
      [NOTICES.staleButton],
    )
    assert.deepEqual(
      answersTo("forged-1").map((call) => call.params.text),
      [NOTICES.unknownButton],
    )
    assert.equal(emulator.messages(7008).length, before, "no message sent or changed")
    tara.press("ریاضی")
    await tara.expect(/استان/)
  })
})
