import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect } from "effect"
import { parseAction } from "../../../src/application/common/actions.ts"
import { MENU } from "../../../src/application/common/menu-texts.ts"
import { UserId } from "../../../src/domain/student.ts"
import { memoryBot } from "../../support/memory-bot.ts"
import { aStudent } from "../../support/students.ts"

const ALI = 1001
const labels = (reply: { readonly choices?: ReadonlyArray<ReadonlyArray<{ readonly label: string }>> }) =>
  (reply.choices ?? []).flat().map((choice) => choice.label)

describe("free classes", () => {
  it("lists the student's grade first, enrols once, respects capacity, lists and leaves", async () => {
    const bot = memoryBot()
    bot.students.students.set(UserId.make(ALI), aStudent(ALI, { grade: "دهم" }))
    await bot.say(ALI, MENU.classes)
    await bot.press(ALI, "کلاس‌های رایگان")
    const list = labels(bot.lastReply(ALI))
    assert.match(list[0] ?? "", /⭐ پایه دهم/)
    await bot.press(ALI, "پایه دهم")
    assert.match(bot.lastReply(ALI).text, /ظرفیت: ۰ از ۲۸/)
    const first = await bot.press(ALI, "ثبت‌نام در کلاس")
    assert.match(first.notice ?? "", /ثبت‌نام شما/)
    assert.match(bot.lastReply(ALI).text, /ظرفیت: ۱ از ۲۸/)
    // a second tap on an old copy of the button changes nothing
    const again = await bot.pressData(ALI, "c:enrol:free_math_10th")
    assert.match(again.notice ?? "", /قبلاً/)
    assert.equal(await Effect.runPromise(bot.records.enrolments.seats("free_math_10th")), 1)
    await bot.say(ALI, "/mycourses")
    assert.match(bot.lastReply(ALI).text, /پایه دهم/)
    await bot.pressData(ALI, "c:leave:free_math_10th")
    assert.equal(await Effect.runPromise(bot.records.enrolments.seats("free_math_10th")), 0)
  })

  it("refuses a seat when the class is full", async () => {
    const bot = memoryBot()
    for (let id = 2000; id < 2029; id++) bot.students.students.set(UserId.make(id), aStudent(id))
    for (let id = 2000; id < 2028; id++) await bot.pressData(id, "c:enrol:free_math_12th")
    assert.equal(await Effect.runPromise(bot.records.enrolments.seats("free_math_12th")), 28)
    const late = await bot.pressData(2028, "c:enrol:free_math_12th")
    assert.match(late.notice ?? "", /تکمیل/)
    assert.equal(await Effect.runPromise(bot.records.enrolments.seats("free_math_12th")), 28)
  })

  it("enrols up to capacity when many tap at once", async () => {
    const bot = memoryBot()
    for (let id = 3000; id < 3040; id++) bot.students.students.set(UserId.make(id), aStudent(id))
    await Promise.all(Array.from({ length: 40 }, (_, i) => bot.pressData(3000 + i, "c:enrol:free_math_12th")))
    assert.equal(await Effect.runPromise(bot.records.enrolments.seats("free_math_12th")), 28)
  })

  it("treats shop buttons of someone not registered as stale", async () => {
    const bot = memoryBot()
    const handled = await bot.pressData(ALI, "c:enrol:free_math_12th")
    assert.match(handled.notice ?? "", /فعال نیست/)
  })

  it("parses only exact button data: no price, no extra fields", () => {
    assert.deepEqual(parseAction("o:course:paid_advanced"), { _tag: "BuyCourse", courseId: "paid_advanced" })
    assert.equal(parseAction("o:course:paid_advanced:1000"), undefined)
    assert.equal(parseAction("o:course:paid_advanced;price=1000"), undefined)
    assert.equal(parseAction("r:why:bogus:ABCD2345:ABCD2345"), undefined)
    assert.equal(parseAction("b:to:نهم:ABCD2345"), undefined)
  })

  it("shows paid courses with prices and contact details", async () => {
    const bot = memoryBot()
    bot.students.students.set(UserId.make(ALI), aStudent(ALI))
    await bot.say(ALI, "/courses")
    await bot.press(ALI, "دوره‌های ویژه")
    assert.ok(labels(bot.lastReply(ALI)).some((label) => label.includes("۵۰۰٬۰۰۰ تومان")))
    await bot.press(ALI, "نگرش")
    assert.match(bot.lastReply(ALI).text, /به‌زودی/)
    assert.ok(!labels(bot.lastReply(ALI)).some((label) => label.includes("پرداخت")))
    await bot.say(ALI, "/contact")
    assert.match(bot.lastReply(ALI).text, /@Ostad_Hatami[\s\S]*info@ostadhatami.ir[\s\S]*www.ostadhatami.ir/)
  })
})
