import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Option } from "effect"
import { UserId } from "../../src/domain/student.ts"
import { fillRegistration, memoryBot } from "../support/memory-bot.ts"

const ALI = 1001
const SARA = 1002
const NEW = 1003

const FULL = /حافظهٔ ربات همین حالا پر است.*چیزی از آنچه وارد کرده‌اید از دست نرفته است.*کد خطا: TESTID\d+/

const registerAli = (bot: ReturnType<typeof memoryBot>) => fillRegistration(bot, ALI)

const texts = (bot: ReturnType<typeof memoryBot>, chat: number) =>
  bot.messenger.messages(chat).map((message) => message.reply.text)

describe("a full disk: every update answered, nothing advanced that was not stored", () => {
  it("serves what needs no write, and answers a step that must write with «storage is full» and its error id", async () => {
    const bot = memoryBot()
    await registerAli(bot)
    await bot.say(SARA, "/start")
    await bot.say(SARA, "سارا")
    const draftBefore = bot.drafts.conversations.get(UserId.make(SARA))
    bot.disk.fill()

    // the first refused write starts the failing state: Sara's answer is not stored, she is told so
    const before = texts(bot, SARA).length
    await bot.say(SARA, "محمدی")
    assert.deepEqual(bot.drafts.conversations.get(UserId.make(SARA)), draftBefore, "her step did not advance")
    assert.match(texts(bot, SARA).at(-1) ?? "", FULL)
    assert.ok(bot.disk.failing)
    assert.deepEqual(bot.disk.refused, ["write draft"])

    // while failing, a step that writes says nothing but «storage is full»: no next question goes out
    const sent = texts(bot, SARA).length
    await bot.say(SARA, "محمدی")
    assert.deepEqual(texts(bot, SARA).slice(sent).length, 1)
    assert.match(texts(bot, SARA).at(-1) ?? "", FULL)
    assert.ok(texts(bot, SARA).length > before)

    // a registered student is served: /start, the profile, the menu's lists
    const aliBefore = texts(bot, ALI).length
    await bot.say(ALI, "/start")
    await bot.say(ALI, "/profile")
    await bot.say(ALI, "/courses")
    const aliSaw = texts(bot, ALI).slice(aliBefore)
    assert.equal(aliSaw.length, 3)
    assert.ok(aliSaw.every((text) => !FULL.test(text)))
    assert.match(aliSaw[0] ?? "", /علی/)

    // a new student's /start needs a draft: refused with the same answer, nothing stored
    await bot.say(NEW, "/start")
    assert.deepEqual(texts(bot, NEW).length, 1)
    assert.match(texts(bot, NEW)[0] ?? "", FULL)
    assert.equal(bot.drafts.conversations.has(UserId.make(NEW)), false)

    // a pressed button that must write gets a short notice as well as the message
    await bot.say(ALI, "/start")
    const edit = await bot.press(ALI, "ویرایش")
    assert.match(edit.notice ?? "", /ذخیره نشد/)
    assert.match(texts(bot, ALI).at(-1) ?? "", FULL)

    // space is back: the same answer now goes through, and registration goes on where it was
    bot.disk.free()
    await bot.say(SARA, "محمدی")
    assert.match(texts(bot, SARA).at(-1) ?? "", /پایه/)
    const draft = bot.drafts.conversations.get(UserId.make(SARA))
    assert.equal(Option.isSome(Option.fromNullable(draft)), true)
    assert.equal(draft?.draft.step, "grade")
    await bot.say(NEW, "/start")
    assert.equal(bot.drafts.conversations.has(UserId.make(NEW)), true)
  })

  it("a confirmation refused by a full disk stores nothing, announces nothing, and works when pressed again", async () => {
    const bot = memoryBot()
    await fillRegistration(bot, ALI, false)
    bot.disk.fill()
    // as in the bot, where the inbox's write of the update is refused first, before it is handled
    bot.disk.failing = true
    await bot.press(ALI, "تایید")
    assert.equal(bot.students.students.size, 0)
    assert.equal(bot.announced.length, 0)
    assert.match(texts(bot, ALI).at(-1) ?? "", FULL)
    await bot.press(ALI, "تایید")
    assert.equal(bot.students.students.size, 0)
    bot.disk.free()
    await bot.press(ALI, "تایید")
    assert.equal(bot.students.students.size, 1)
    assert.equal(bot.announced.length, 1)
    assert.match(texts(bot, ALI).at(-1) ?? "", /ثبت‌نام شما با موفقیت/)
  })
})
