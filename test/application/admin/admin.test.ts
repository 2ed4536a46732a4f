import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect, Layer, TestClock, TestContext } from "effect"
import { makeMemoryMessenger } from "../../../src/adapters/memory/memory-messenger.ts"
import { AnnouncementsLive, announcementText } from "../../../src/application/admin/announcements.ts"
import { ADMIN_COMMANDS, registerCommands, STUDENT_COMMANDS } from "../../../src/application/features.ts"
import { Admins } from "../../../src/application/ports/admins.ts"
import { Announcements } from "../../../src/application/ports/announcements.ts"
import { BOM } from "../../../src/domain/csv.ts"
import { UserId } from "../../../src/domain/student.ts"
import { ADMIN, memoryBot } from "../../support/memory-bot.ts"
import { aStudent } from "../../support/students.ts"

const seed = (bot: ReturnType<typeof memoryBot>) => {
  bot.students.students.set(UserId.make(1), aStudent(1, { grade: "دهم", firstName: "سارا" }))
  bot.students.students.set(
    UserId.make(2),
    aStudent(2, { grade: "دوازدهم", major: "تجربی", province: "تهران", city: "تهران" }),
  )
  bot.students.students.set(
    UserId.make(3),
    aStudent(3, { grade: "دوازدهم" }, new Date("2026-10-01T08:00:00Z")),
  )
}

const documentText = (bot: ReturnType<typeof memoryBot>, name: string) => {
  const message = bot.messenger.messages(ADMIN).findLast((candidate) => candidate.document?.fileName === name)
  assert.ok(message?.document, `no document ${name}`)
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(message.document.content)
}

describe("admin tools", () => {
  it("/stats: totals by grade, major, province, days and pending receipts; unknown to students", async () => {
    const bot = memoryBot()
    seed(bot)
    await bot.say(1, "/stats")
    assert.match(bot.lastReply(1).text, /نمی‌شناسم/)
    await bot.say(ADMIN, "/stats")
    // the text first, then the charts (test/application/charts.test.ts)
    const text =
      bot.messenger.messages(ADMIN).findLast((m) => m.reply.text.startsWith("📊"))?.reply.text ?? ""
    assert.match(text, /همهٔ دانش‌آموزان: ۳/)
    assert.match(text, /دهم: ۱، یازدهم: ۰، دوازدهم: ۲/)
    assert.match(text, /فارس: ۲[\s\S]*تهران: ۱/)
    // 14 days in Tehran time, Persian calendar: 2026-11-20 is 29 Aban; 2026-10-01 is too old to count
    assert.match(text, /۲۱ آبان: ۰[\s\S]*۲۹ آبان: ۲[\s\S]*۴ آذر: ۰\n/)
    assert.match(text, /در انتظار بررسی: ۰/)
  })

  it("/export: CSV documents with BOM, neutralised cells, grade filter and every record", async () => {
    const bot = memoryBot()
    seed(bot)
    await bot.pressData(2, "c:enrol:free_math_12th")
    await bot.pressData(2, "o:book:book_creativity_explosion")
    await bot.say(2, "1234567890")
    await bot.say(2, "=cmd|' /C calc'!A0 خیابان اول")
    await bot.say(2, "@SUM(1+1)")
    await bot.act(2, { _tag: "Photo", fileId: "f", fileUniqueId: "u" })
    await bot.say(ADMIN, "/export نهم")
    assert.match(bot.lastReply(ADMIN).text, /پایه را درست/)
    await bot.say(ADMIN, "/export دوازدهم")
    const students = documentText(bot, "students-دوازدهم.csv")
    assert.ok(students.startsWith(BOM))
    const lines = students.slice(1).trimEnd().split("\r\n")
    assert.equal(lines.length, 3)
    assert.match(lines[1] ?? "", /^2,علی,رضایی,دوازدهم,تجربی,تهران,تهران,09121234567,/)
    assert.match(lines[1] ?? "", /پایه دوازدهم/)
    const orders = documentText(bot, "orders-دوازدهم.csv")
    assert.match(orders, /,'=cmd\|' \/C calc'!A0 خیابان اول,'@SUM\(1\+1\),/)
    assert.match(documentText(bot, "enrolments-دوازدهم.csv"), /2,free_math_12th/)
    documentText(bot, "broadcasts.csv")
  })

  it("announces new registrations one at a time or as a batch", () => {
    const one = announcementText([aStudent(1)])
    assert.match(one, /ثبت‌نام تازه:\n• علی رضایی — دوازدهم ریاضی — فارس، شیراز/)
    const many = announcementText(Array.from({ length: 35 }, (_, i) => aStudent(i + 1)))
    assert.match(many, /۳۵ ثبت‌نام تازه[\s\S]*و ۵ نفر دیگر/)
  })

  it("registers the command menus with Persian descriptions, the longer one for admins", async () => {
    const bot = memoryBot()
    await Effect.runPromise(registerCommands().pipe(Effect.provide(bot.ports)))
    assert.deepEqual(bot.messenger.commands.get("default"), STUDENT_COMMANDS)
    assert.deepEqual(bot.messenger.commands.get(ADMIN), ADMIN_COMMANDS)
    for (const { description } of ADMIN_COMMANDS) assert.match(description, /[\u0600-\u06FF]/)
  })
})

describe("broadcast", () => {
  it("previews, lets the admin pick a grade, sends once to each and reports the tally", async () => {
    const bot = memoryBot()
    seed(bot)
    await bot.say(ADMIN, "/broadcast")
    assert.match(bot.lastReply(ADMIN).text, /متن را بعد از دستور/)
    await bot.say(ADMIN, "/broadcast کلاس این جمعه <ساعت ۱۸>")
    assert.match(bot.lastReply(ADMIN).text, /پیش‌نمایش[\s\S]*<ساعت ۱۸>/)
    await bot.press(ADMIN, "دوازدهم (۲)")
    assert.match(bot.lastReply(ADMIN).text, /پایهٔ دوازدهم — ۲ دانش‌آموز/)
    await bot.press(ADMIN, "تغییر گیرندگان")
    await bot.press(ADMIN, "همه (۳)")
    await bot.press(ADMIN, "ارسال")
    const again = await bot.pressData(
      ADMIN,
      bot.messenger.last(ADMIN)?.reply.choices?.[0]?.[0]?.data ?? "b:go:TESTID42",
    )
    assert.ok(again.notice === undefined || /قبلاً|پیدا نشد|فعال/.test(again.notice))
    const done = async () => {
      for (let i = 0; i < 200; i++) {
        if (/تمام شد/.test(bot.lastReply(ADMIN).text)) return
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      assert.fail(`not finished: ${bot.lastReply(ADMIN).text}`)
    }
    await done()
    for (const id of [1, 2, 3]) {
      const got = bot.messenger.messages(id).filter((message) => message.reply.text.includes("<ساعت ۱۸>"))
      assert.equal(got.length, 1)
    }
    assert.match(bot.lastReply(ADMIN).text, /رسید: ۳/)
  })

  it("cancels a draft", async () => {
    const bot = memoryBot()
    seed(bot)
    await bot.say(ADMIN, "/broadcast سلام")
    await bot.press(ADMIN, "لغو")
    assert.match(bot.lastReply(ADMIN).text, /لغو شد/)
    const [broadcast] = await Effect.runPromise(bot.records.broadcasts.all)
    assert.equal(broadcast?.status, "cancelled")
  })
})

describe("registration announcements", () => {
  it("announces the first registration at once and the rest as one message a minute later", async () => {
    const messenger = makeMemoryMessenger()
    const program = Effect.gen(function* () {
      const announcements = yield* Announcements
      yield* announcements.registered(aStudent(1))
      yield* TestClock.adjust(10)
      assert.equal(messenger.messages(ADMIN).length, 1)
      for (const id of [2, 3, 4]) yield* announcements.registered(aStudent(id))
      yield* TestClock.adjust(30_000)
      assert.equal(messenger.messages(ADMIN).length, 1)
      yield* TestClock.adjust(30_000)
      assert.equal(messenger.messages(ADMIN).length, 2)
      assert.match(messenger.last(ADMIN)?.reply.text ?? "", /۳ ثبت‌نام تازه/)
    })
    await Effect.runPromise(
      program.pipe(
        Effect.provide(
          AnnouncementsLive(60).pipe(
            Layer.provide(Layer.merge(messenger.layer, Layer.succeed(Admins, { ids: [ADMIN] }))),
          ),
        ),
        Effect.provide(TestContext.TestContext),
        Effect.scoped,
      ),
    )
  })
})
