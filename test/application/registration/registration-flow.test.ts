import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect, Layer, Option } from "effect"
import { MENU } from "../../../src/application/common/menu-texts.ts"
import { handleIncoming } from "../../../src/application/handle-update.ts"
import { StorageError } from "../../../src/application/ports/storage-error.ts"
import { StudentRepository } from "../../../src/application/ports/student-repository.ts"
import { UserId } from "../../../src/domain/student.ts"
import { fillRegistration, memoryBot } from "../../support/memory-bot.ts"

const ALI = 1001

const registerAli = (bot: ReturnType<typeof memoryBot>) => fillRegistration(bot, ALI)

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

const answerUpToSummary = async (bot: ReturnType<typeof memoryBot>) => {
  await bot.say(ALI, "/start")
  for (const text of ["علی", "رضایی"]) await bot.say(ALI, text)
  for (const label of ["دهم", "ریاضی", "تهران", "تهران"]) await bot.press(ALI, label)
  await bot.act(ALI, { _tag: "Contact", phone: "989121234567", contactUserId: ALI })
}

describe("an update delivered again after a crash", () => {
  const sent = (bot: ReturnType<typeof memoryBot>) => bot.messenger.messages(ALI).length

  it("is skipped once the draft change it made is stored: no second reply, the state does not move", async () => {
    const bot = memoryBot()
    await bot.say(ALI, "/start")
    await bot.say(ALI, "علی")
    await bot.say(ALI, "رضایی")
    const before = sent(bot)
    const draft = bot.drafts.conversations.get(UserId.make(ALI))
    await bot.redeliver()
    assert.equal(sent(bot), before, "nothing sent again")
    assert.deepEqual(bot.drafts.conversations.get(UserId.make(ALI)), draft)
    // an older one too: its change is in the state already
    await bot.redeliver(3)
    assert.equal(sent(bot), before)
    await bot.press(ALI, "دهم")
    assert.equal(bot.drafts.conversations.get(UserId.make(ALI))?.draft.step, "major")
  })

  it("after the summary: the phone answer again does not send a new summary, and confirm registers", async () => {
    const bot = memoryBot()
    await answerUpToSummary(bot)
    const summaries = () =>
      bot.messenger.messages(ALI).filter((message) => /بررسی کنید/.test(message.reply.text)).length
    assert.equal(summaries(), 1)
    await bot.redeliver()
    assert.equal(summaries(), 1, "the same summary, whose confirm button still works")
    await bot.press(ALI, "تایید")
    assert.ok(bot.students.students.get(UserId.make(ALI)))
  })

  it("the finished confirm again: nothing sent, nothing saved", async () => {
    const bot = memoryBot()
    await registerAli(bot)
    const before = sent(bot)
    const student = bot.students.students.get(UserId.make(ALI))
    bot.clock.set(new Date("2026-11-25T09:00:00Z"))
    const handled = await bot.redeliver()
    assert.deepEqual(handled, {}, "no notice either")
    assert.equal(sent(bot), before)
    assert.equal(bot.students.students.get(UserId.make(ALI)), student)
    assert.equal(bot.announced.length, 1)
  })

  it("a cancel again does not begin a new registration", async () => {
    const bot = memoryBot()
    await bot.say(ALI, "/start")
    await bot.say(ALI, "انصراف")
    const before = sent(bot)
    await bot.redeliver()
    assert.equal(sent(bot), before)
    assert.equal(bot.drafts.conversations.size, 0)
  })

  it("a crash after the student was stored and before the draft ended: the menu comes, the student is not stored again", async () => {
    const bot = memoryBot()
    await answerUpToSummary(bot)
    const atSummary = await Effect.runPromise(bot.drafts.service.get(UserId.make(ALI)))
    await bot.press(ALI, "تایید")
    const stored = bot.students.students.get(UserId.make(ALI))
    assert.ok(stored)
    // as if the crash came before the draft's end was stored: the draft and its mark as they were
    await Effect.runPromise(
      bot.drafts.service.put(
        UserId.make(ALI),
        Option.getOrThrow(atSummary.conversation),
        Option.getOrThrow(atSummary.handled).update,
      ),
    )
    bot.clock.set(new Date("2026-11-25T09:00:00Z"))
    await bot.redeliver()
    assert.match(bot.lastReply(ALI).text, /ثبت‌نام شما با موفقیت/)
    assert.equal(bot.students.students.get(UserId.make(ALI)), stored, "not stored again")
    assert.equal(bot.drafts.conversations.size, 0)
  })

  it("trusts a mark for six days only: Telegram may number updates afresh after a week without any", async () => {
    const bot = memoryBot()
    await bot.say(ALI, "/start")
    await bot.say(ALI, "علی")
    const before = sent(bot)
    bot.clock.set(new Date("2026-12-02T08:00:00Z"))
    await bot.redeliver()
    assert.equal(sent(bot), before + 1, "handled: the mark is seven days old")
  })
})
