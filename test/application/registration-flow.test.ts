import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect, Layer, Option } from "effect"
import { handleIncoming } from "../../src/application/handle-update.ts"
import { MENU } from "../../src/application/menu-texts.ts"
import { StorageError, StudentRepository } from "../../src/application/ports/student-repository.ts"
import { UserId } from "../../src/domain/student.ts"
import { memoryBot } from "../support/memory-bot.ts"

const ALI = 1001

const registerAli = async (bot: ReturnType<typeof memoryBot>) => {
  await bot.say(ALI, "/start")
  await bot.say(ALI, "علی")
  await bot.say(ALI, "رضایی")
  await bot.press(ALI, "دوازدهم")
  await bot.press(ALI, "تجربی")
  await bot.press(ALI, "بعدی")
  await bot.press(ALI, "فارس")
  await bot.press(ALI, "شیراز")
  await bot.act(ALI, { _tag: "Contact", phone: "989121234567", contactUserId: ALI })
  await bot.press(ALI, "تایید")
}

describe("registration through the use cases", () => {
  it("registers a student and shows the main menu", async () => {
    const bot = memoryBot()
    await registerAli(bot)
    const student = bot.students.students.get(UserId.make(ALI))
    assert.ok(student)
    assert.equal(student.profile.firstName, "علی")
    assert.equal(student.profile.province, "فارس")
    assert.equal(student.profile.city, "شیراز")
    assert.equal(student.profile.phone, "+989121234567")
    assert.equal(student.registrationDate.toISOString(), "2026-11-25T08:00:00.000Z")
    assert.equal(bot.drafts.conversations.size, 0)
    assert.match(bot.lastReply(ALI).text, /ثبت‌نام شما با موفقیت/)
    assert.ok(
      bot
        .lastReply(ALI)
        .keyboard?.flat()
        .some((b) => b.label === MENU.classes),
    )
  })

  it("leaves only the newest question with buttons", async () => {
    const bot = memoryBot()
    await bot.say(ALI, "/start")
    await bot.say(ALI, "علی")
    await bot.say(ALI, "رضایی")
    await bot.press(ALI, "دهم")
    const withButtons = bot.messenger.messages(ALI).filter((m) => (m.reply.choices ?? []).length > 0)
    assert.equal(withButtons.length, 1)
    assert.match(withButtons[0]?.reply.text ?? "", /رشته/)
    assert.ok(bot.messenger.messages(ALI).some((m) => m.reply.text.includes("پایه: دهم")))
  })

  it("answers a stale button with a notice and changes nothing", async () => {
    const bot = memoryBot()
    await bot.say(ALI, "/start")
    await bot.say(ALI, "علی")
    await bot.say(ALI, "رضایی")
    const gradeQuestion = bot.messenger.last(ALI)
    const tenth = gradeQuestion?.reply.choices?.flat().find((c) => c.label === "دهم")
    assert.ok(gradeQuestion && tenth)
    await bot.act(ALI, { _tag: "Button", data: tenth.data, queryId: "a", message: gradeQuestion.id })
    const again = await bot.act(ALI, {
      _tag: "Button",
      data: tenth.data,
      queryId: "b",
      message: gradeQuestion.id,
    })
    assert.match(again.notice ?? "", /فعال نیست/)
    assert.equal(bot.drafts.conversations.get(UserId.make(ALI))?.draft.step, "major")
  })

  it("resumes a registration in progress on /start", async () => {
    const bot = memoryBot()
    await bot.say(ALI, "/start")
    await bot.say(ALI, "علی")
    await bot.say(ALI, "/start")
    assert.match(bot.lastReply(ALI).text, /نام خانوادگی/)
  })

  it("greets a registered student and serves the menu", async () => {
    const bot = memoryBot()
    await registerAli(bot)
    await bot.say(ALI, "/start")
    assert.match(bot.lastReply(ALI).text, /علی رضایی/)
    await bot.say(ALI, MENU.contact)
    assert.match(bot.lastReply(ALI).text, /@Ostad_Hatami/)
    await bot.say(ALI, "/profile")
    assert.match(bot.lastReply(ALI).text, /شیراز/)
    await bot.say(ALI, "/nonsense")
    assert.match(bot.lastReply(ALI).text, /\/help/)
  })

  it("edits one field of a registered student and keeps the registration date", async () => {
    const bot = memoryBot()
    await registerAli(bot)
    bot.clock.set(new Date("2026-12-01T10:00:00Z"))
    await bot.say(ALI, MENU.editProfile)
    await bot.press(ALI, "پایه")
    await bot.press(ALI, "یازدهم")
    const student = bot.students.students.get(UserId.make(ALI))
    assert.equal(student?.profile.grade, "یازدهم")
    assert.equal(student?.registrationDate.toISOString(), "2026-11-25T08:00:00.000Z")
    assert.equal(student?.lastUpdated.toISOString(), "2026-12-01T10:00:00.000Z")
    assert.match(bot.lastReply(ALI).text, /به‌روز شد/)
  })

  it("refuses someone else's shared contact", async () => {
    const bot = memoryBot()
    await bot.say(ALI, "/start")
    for (const text of ["علی", "رضایی"]) await bot.say(ALI, text)
    for (const label of ["دهم", "ریاضی", "تهران", "تهران"]) await bot.press(ALI, label)
    await bot.act(ALI, { _tag: "Contact", phone: "989121234567", contactUserId: 5 })
    assert.match(bot.lastReply(ALI).text, /خود شما نیست/)
    assert.equal(bot.drafts.conversations.get(UserId.make(ALI))?.draft.step, "phone")
  })

  it("cancels a registration", async () => {
    const bot = memoryBot()
    await bot.say(ALI, "/start")
    await bot.press(ALI, "انصراف")
    assert.equal(bot.drafts.conversations.size, 0)
    assert.match(bot.lastReply(ALI).text, /لغو شد/)
  })

  it("turns an unexpected failure into an error ID for the student", async () => {
    const bot = memoryBot()
    const broken = Layer.succeed(StudentRepository, {
      find: () => Effect.fail(new StorageError({ operation: "read", detail: "disk on fire" })),
      save: () => Effect.void,
    })
    await Effect.runPromise(
      handleIncoming({ userId: UserId.make(ALI), chatId: ALI, event: { _tag: "Text", text: "سلام" } }).pipe(
        Effect.provide(Layer.merge(bot.ports, broken)),
      ),
    )
    assert.match(bot.lastReply(ALI).text, /TESTID42/)
    assert.ok(Option.isNone(Option.fromNullable(bot.students.students.get(UserId.make(ALI)))))
  })
})
