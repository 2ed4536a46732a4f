import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect } from "effect"
import { resendUnsentReviews } from "../../../src/application/shop/payments.ts"
import { courseItem, placeOrder } from "../../../src/domain/order.ts"
import { UserId } from "../../../src/domain/student.ts"
import { ADMIN, CATALOG, memoryBot } from "../../support/memory-bot.ts"
import { aStudent } from "../../support/students.ts"

const ALI = 1001
const SECOND_ADMIN = 9002
const photo = (unique: string) => ({ _tag: "Photo", fileId: `file-${unique}`, fileUniqueId: unique }) as const

const setUp = () => {
  const bot = memoryBot({ admins: [ADMIN, SECOND_ADMIN] })
  bot.students.students.set(UserId.make(ALI), aStudent(ALI))
  return bot
}

const orders = (bot: ReturnType<typeof memoryBot>) => Effect.runPromise(bot.records.orders.all)

describe("paid courses and receipts", () => {
  it("takes a course order to approval: price from the catalog, every admin's copy shows who decided", async () => {
    const bot = setUp()
    await bot.pressData(ALI, "c:show:paid_comprehensive")
    await bot.press(ALI, "ثبت‌نام و پرداخت")
    const instructions = bot.lastReply(ALI)
    assert.match(instructions.text, /۵۰۰٬۰۰۰ تومان/)
    assert.match(instructions.text, /6037 9900 0000 1234/)
    assert.deepEqual(instructions.copyable, ["6037 9900 0000 1234"])
    await bot.act(ALI, photo("receipt-1"))
    assert.match(bot.lastReply(ALI).text, /در حال بررسی/)
    const [order] = await orders(bot)
    assert.equal(order?.status, "under_review")
    assert.equal(order?.item.priceToman, 500000)
    for (const admin of [ADMIN, SECOND_ADMIN]) {
      const [picture, details] = bot.messenger.messages(admin)
      assert.equal(picture?.photo, "file-receipt-1")
      assert.match(details?.reply.text ?? "", /علی رضایی[\s\S]*دوازدهم[\s\S]*\+989121234567/)
    }
    // both admins decide at the same moment: one approves, one rejects
    const [first, second] = await Promise.all([
      bot.press(ADMIN, "تایید", "مریم"),
      bot.act(
        SECOND_ADMIN,
        {
          _tag: "Button",
          data: (bot.messenger.last(SECOND_ADMIN)?.reply.choices?.[0]?.[1]?.data ?? "").replace(
            "r:no",
            "r:why:amount",
          ),
          queryId: "race",
          message: bot.messenger.last(SECOND_ADMIN)?.id ?? 0,
        },
        "رضا",
      ),
    ])
    const [decided] = await orders(bot)
    const won = decided?.receipts[0]?.decision
    assert.ok(won !== undefined)
    const loser = won.adminName === "مریم" ? second : first
    assert.match(loser.notice ?? "", /قبلاً بررسی شده/)
    for (const admin of [ADMIN, SECOND_ADMIN]) {
      const copy = bot.messenger.last(admin)?.reply
      assert.equal(copy?.choices, undefined)
      assert.match(copy?.text ?? "", new RegExp(won.adminName))
    }
    const told = bot.lastReply(ALI).text
    assert.match(told, won.verdict === "approved" ? /تایید شد/ : /تایید نشد[\s\S]*مبلغ/)
  })

  it("refuses the same image twice, and a photo when no order waits for one", async () => {
    const bot = setUp()
    await bot.act(ALI, photo("stray"))
    assert.match(bot.lastReply(ALI).text, /منتظر رسیدی از شما نیستیم/)
    await bot.pressData(ALI, "o:course:paid_advanced")
    await bot.act(ALI, { _tag: "Unsupported" })
    assert.match(bot.lastReply(ALI).text, /به‌صورت عکس/)
    await bot.act(ALI, photo("same"))
    await bot.press(ADMIN, "رد")
    await bot.press(ADMIN, "خوانا نیست")
    assert.match(bot.lastReply(ALI).text, /خوانا نیست/)
    const [rejected] = await orders(bot)
    assert.equal(rejected?.status, "awaiting_receipt")
    await bot.act(ALI, photo("same"))
    assert.match(bot.lastReply(ALI).text, /قبلاً به‌عنوان رسید/)
    await bot.act(ALI, photo("new"))
    assert.match(bot.lastReply(ALI).text, /در حال بررسی/)
    await bot.act(ALI, photo("third"))
    assert.match(bot.lastReply(ALI).text, /هنوز در حال بررسی/)
    await bot.press(ADMIN, "تایید")
    await bot.say(ALI, "/mycourses")
    assert.match(bot.lastReply(ALI).text, /دوره حل مسائل پیشرفته/)
  })

  it("ignores a forged button carrying another price or an unknown course", async () => {
    const bot = setUp()
    for (const data of [
      "o:course:paid_comprehensive:1000",
      "o:course:paid_unknown",
      "o:course:paid_negareh_4",
    ]) {
      const handled = await bot.pressData(ALI, data)
      assert.match(handled.notice ?? "", /فعال نیست/)
    }
    assert.equal((await orders(bot)).length, 0)
  })

  it("closes card payments when no card number is set", async () => {
    const bot = memoryBot({ cardNumber: undefined })
    bot.students.students.set(UserId.make(ALI), aStudent(ALI))
    await bot.pressData(ALI, "o:course:paid_comprehensive")
    assert.match(bot.lastReply(ALI).text, /فعلاً ممکن نیست/)
    assert.equal((await orders(bot)).length, 0)
  })
})

describe("receipts after a crash", () => {
  it("sends a receipt that never reached the admins again at start, once", async () => {
    const bot = setUp()
    const course = CATALOG.courses.find((candidate) => candidate.id === "paid_analysis")
    if (course === undefined) throw new Error("catalog changed")
    const order = placeOrder("ORDER777", UserId.make(ALI), courseItem(course), new Date())
    const receipt = {
      id: "RCPT777",
      fileId: "f777",
      fileUniqueId: "u777",
      submittedAt: new Date(),
      reviewCopies: [],
    }
    await Effect.runPromise(
      Effect.zipRight(bot.records.orders.place(order), bot.records.orders.submitReceipt(order.id, receipt)),
    )
    await Effect.runPromise(resendUnsentReviews().pipe(Effect.provide(bot.ports)))
    await Effect.runPromise(resendUnsentReviews().pipe(Effect.provide(bot.ports)))
    for (const admin of [ADMIN, SECOND_ADMIN]) {
      assert.equal(bot.messenger.messages(admin).filter((message) => message.photo === "f777").length, 1)
    }
    await bot.press(ADMIN, "تایید")
    assert.match(bot.lastReply(ALI).text, /دوره آنالیز ریاضی/)
  })
})

describe("book orders", () => {
  it("asks postal code, address and notes with reasons, then the payment", async () => {
    const bot = setUp()
    await bot.say(ALI, "/book")
    assert.match(bot.lastReply(ALI).text, /انفجار خلاقیت ریاضی[\s\S]*۱۵۰٬۰۰۰ تومان/)
    await bot.press(ALI, "سفارش کتاب")
    assert.match(bot.lastReply(ALI).text, /کد پستی/)
    await bot.act(ALI, photo("too-early"))
    assert.match(bot.lastReply(ALI).text, /اول نشانی/)
    await bot.say(ALI, "۱۲۳۴۵")
    assert.match(bot.lastReply(ALI).text, /دقیقاً ۱۰ رقم[\s\S]*۵ رقم/)
    await bot.say(ALI, "۱۲۳۴۵-۶۷۸۹۰")
    assert.match(bot.lastReply(ALI).text, /نشانی کامل/)
    await bot.say(ALI, "کوتاه")
    assert.match(bot.lastReply(ALI).text, /خیلی کوتاه/)
    await bot.say(ALI, "الف".repeat(101))
    assert.match(bot.lastReply(ALI).text, /حداکثر ۳۰۰/)
    await bot.say(ALI, "شیراز، خیابان زند، کوچه ۱۲، پلاک ۳")
    assert.match(bot.lastReply(ALI).text, /توضیحی/)
    await bot.press(ALI, "توضیحی ندارم")
    assert.match(bot.lastReply(ALI).text, /۱۵۰٬۰۰۰ تومان[\s\S]*6037 9900 0000 1234/)
    const [order] = await orders(bot)
    assert.deepEqual(order?.shipping, {
      postalCode: "1234567890",
      address: "شیراز، خیابان زند، کوچه ۱۲، پلاک ۳",
    })
    assert.equal(order?.status, "awaiting_receipt")
    await bot.act(ALI, photo("book-receipt"))
    await bot.press(ADMIN, "تایید")
    assert.match(bot.lastReply(ALI).text, /کتاب «انفجار خلاقیت ریاضی» شنبه ارسال می‌شود/)
  })

  it("cancels an open order when another is placed, and on request", async () => {
    const bot = setUp()
    await bot.pressData(ALI, "o:book:book_creativity_explosion")
    await bot.pressData(ALI, "o:course:paid_analysis")
    const [book, course] = await orders(bot)
    assert.equal(book?.status, "cancelled")
    assert.equal(course?.status, "awaiting_receipt")
    await bot.press(ALI, "لغو سفارش")
    assert.equal((await orders(bot))[1]?.status, "cancelled")
    await bot.pressData(ALI, "o:book:book_creativity_explosion")
    await bot.say(ALI, "/cancel")
    assert.match(bot.lastReply(ALI).text, /سفارش لغو شد/)
    assert.equal((await orders(bot))[2]?.status, "cancelled")
    await bot.say(ALI, "/cancel")
    assert.match(bot.lastReply(ALI).text, /کار نیمه‌تمامی/)
  })
})

describe("bans", () => {
  it("gives a banned student one notice and no service; admins only", async () => {
    const bot = setUp()
    await bot.say(ALI, "/ban 1001")
    assert.match(bot.lastReply(ALI).text, /نمی‌شناسم/)
    await bot.say(ADMIN, "/ban ۱۰۰۱")
    assert.match(bot.lastReply(ADMIN).text, /مسدود شد/)
    await bot.say(ADMIN, `/ban ${SECOND_ADMIN}`)
    assert.match(bot.lastReply(ADMIN).text, /نمی‌توان/)
    const before = bot.messenger.messages(ALI).length
    await bot.say(ALI, "/courses")
    await bot.say(ALI, "/courses")
    await bot.pressData(ALI, "c:free")
    assert.equal(bot.messenger.messages(ALI).length, before + 1)
    assert.match(bot.lastReply(ALI).text, /مسدود/)
    await bot.say(ADMIN, "/unban 1001")
    assert.match(bot.lastReply(ADMIN).text, /خارج شد/)
    await bot.say(ALI, "/courses")
    assert.match(bot.lastReply(ALI).text, /کلاس‌های رایگان/)
  })
})
