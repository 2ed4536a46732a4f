import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { CHART_DAYS, chartsOf, receiptTotals, topProvinces } from "../../../src/application/admin/charts.ts"
import { computeStatistics } from "../../../src/domain/statistics.ts"
import { UserId } from "../../../src/domain/student.ts"
import { seededOrders } from "../../support/chart-data.ts"
import { ADMIN, memoryBot } from "../../support/memory-bot.ts"
import { aStudent } from "../../support/students.ts"

const NOW = new Date("2026-11-25T08:00:00Z")

/** Three students on two days (one in Tehran, two in Fars) and two receipts: one approved, one pending. */
const seed = (bot: ReturnType<typeof memoryBot>) => {
  bot.students.students.set(UserId.make(1), aStudent(1, { grade: "دهم" }, new Date("2026-11-24T09:00:00Z")))
  bot.students.students.set(
    UserId.make(2),
    aStudent(
      2,
      { grade: "دوازدهم", major: "تجربی", province: "تهران", city: "تهران" },
      new Date("2026-11-24T10:00:00Z"),
    ),
  )
  bot.students.students.set(
    UserId.make(3),
    aStudent(3, { grade: "دوازدهم" }, new Date("2026-11-25T06:00:00Z")),
  )
}

type Values = ReadonlyArray<Record<string, unknown>>
const valuesOf = (spec: unknown): Values => (spec as { data: { values: Values } }).data.values

describe("charts as data: Vega-Lite specifications built from the statistics", () => {
  it("registrations per day: the last 30 Tehran days, Jalali names, the counts of each", async () => {
    const bot = memoryBot()
    seed(bot)
    await bot.say(ADMIN, "/stats days")
    const [spec] = bot.charts.rendered
    const values = valuesOf(spec)
    assert.equal(values.length, CHART_DAYS)
    assert.deepEqual(values.slice(-2), [
      { day: "۳ آذر", count: 2 },
      { day: "۴ آذر", count: 1 },
    ])
    assert.ok(values.slice(0, -2).every((row) => row.count === 0))
    assert.equal(values[0]?.day, "۵ آبان")
  })

  it("students by grade and major, every pair; provinces most first; receipts by course and fate, in toman", async () => {
    const bot = memoryBot()
    seed(bot)
    await bot.say(ADMIN, "/stats grades")
    const grades = valuesOf(bot.charts.rendered[0])
    assert.equal(grades.length, 12)
    assert.deepEqual(
      grades.filter((row) => (row.count as number) > 0),
      [
        { grade: "دهم", major: "ریاضی", count: 1 },
        { grade: "دوازدهم", major: "ریاضی", count: 1 },
        { grade: "دوازدهم", major: "تجربی", count: 1 },
      ],
    )
    await bot.say(ADMIN, "/stats provinces")
    assert.deepEqual(valuesOf(bot.charts.rendered[1]), [
      { province: "فارس", count: 2 },
      { province: "تهران", count: 1 },
    ])
    assert.deepEqual(
      topProvinces(Array.from({ length: 12 }, (_, i) => [`p${i}`, 12 - i] as const)).slice(-2),
      [
        { province: "p9", count: 3 },
        { province: "سایر", count: 3 },
      ],
    )
    const orders = seededOrders().slice(0, 2)
    assert.deepEqual(receiptTotals(orders), [
      { item: "جمع‌بندی کنکور", status: "تأییدشده", receipts: 1, toman: 1_500_000 },
      { item: "جمع‌بندی کنکور", status: "در انتظار بررسی", receipts: 1, toman: 1_500_000 },
    ])
  })

  it("with no students yet, each chart says so instead of drawing an empty frame", () => {
    const charts = chartsOf(computeStatistics([], NOW, 0, CHART_DAYS), [])
    assert.deepEqual(
      charts.map((chart) => chart.name),
      ["days", "grades", "provinces", "receipts"],
    )
    for (const chart of charts) {
      assert.equal((chart.spec as { mark: { type: string } }).mark.type, "text")
      assert.match(String(valuesOf(chart.spec)[0]?.text), /هنوز/)
    }
  })

  it("/stats: the text as before, then the four charts as photos; one chart by name; students get neither", async () => {
    const bot = memoryBot()
    seed(bot)
    await bot.say(ADMIN, "/stats")
    const sent = bot.messenger.messages(ADMIN)
    assert.match(sent.at(-5)?.reply.text ?? "", /^📊 آمار/)
    assert.deepEqual(
      sent.slice(-4).map((message) => [message.image?.fileName, message.reply.text]),
      [
        ["days.png", "ثبت‌نام‌ها در ۳۰ روز گذشته"],
        ["grades.png", "دانش‌آموزان به تفکیک پایه و رشته"],
        ["provinces.png", "استان‌هایی که بیشترین دانش‌آموز را دارند"],
        ["receipts.png", "رسیدها به تفکیک دوره (تومان)"],
      ],
    )
    await bot.say(ADMIN, "/stats receipts")
    assert.equal(bot.messenger.last(ADMIN)?.image?.fileName, "receipts.png")
    assert.equal(bot.messenger.messages(ADMIN).length, sent.length + 1, "that chart alone")
    await bot.say(ADMIN, "/stats weather")
    assert.match(bot.lastReply(ADMIN).text, /نمودار «weather» را نمی‌شناسم[\s\S]*\/stats days/)
    await bot.say(1, "/stats")
    assert.ok(bot.messenger.messages(1).every((message) => message.image === undefined))
  })

  it("a chart that cannot be drawn leaves the text and one line naming it, with an error id", async () => {
    const bot = memoryBot()
    seed(bot)
    bot.charts.state.failing = true
    await bot.say(ADMIN, "/stats")
    const sent = bot.messenger.messages(ADMIN)
    assert.match(sent.at(-2)?.reply.text ?? "", /^📊 آمار/)
    assert.match(
      sent.at(-1)?.reply.text ?? "",
      /نمودارهای «ثبت‌نام‌ها در ۳۰ روز گذشته»، .*«رسیدها به تفکیک دوره \(تومان\)» الان در دسترس نیست؛ آمار بالا کامل است\. کد خطا: TESTID\d+/,
    )
    // the bot goes on serving
    await bot.say(1, "/start")
    assert.match(bot.lastReply(1).text, /خوش آمدید/)
  })
})
