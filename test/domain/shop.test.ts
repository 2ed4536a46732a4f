import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Either } from "effect"
import fc from "fast-check"
import { tally } from "../../src/domain/broadcast.ts"
import { groupCardNumber } from "../../src/domain/card-number.ts"
import { decodeCatalog, formatToman, freeClassesFor } from "../../src/domain/catalog.ts"
import { BOM, neutralise, toCsv } from "../../src/domain/csv.ts"
import { enrolOutcome } from "../../src/domain/enrolment.ts"
import { answerCheckout, bookItem, decideReceipt, placeOrder } from "../../src/domain/order.ts"
import { parseAddress, parsePostalCode } from "../../src/domain/shipping.ts"
import { computeStatistics, tehranDay } from "../../src/domain/statistics.ts"
import { UserId } from "../../src/domain/student.ts"
import { CATALOG } from "../support/memory-bot.ts"

const now = new Date("2026-11-25T08:00:00Z")

describe("postal code and address", () => {
  it("takes exactly ten digits in any script, with spaces or dashes", () => {
    assert.deepEqual(parsePostalCode("۱۲۳۴۵-۶۷۸۹۰"), Either.right("1234567890"))
    assert.deepEqual(parsePostalCode("١٢٣٤٥ ٦٧٨٩٠"), Either.right("1234567890"))
    assert.deepEqual(parsePostalCode("123456789"), Either.left({ _tag: "PostalCodeDigits", count: 9 }))
    assert.deepEqual(parsePostalCode("12345678901"), Either.left({ _tag: "PostalCodeDigits", count: 11 }))
    assert.ok(Either.isLeft(parsePostalCode("12345abcde")))
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parsePostalCode(text)
        return Either.isLeft(parsed) || /^\d{10}$/.test(parsed.right)
      }),
    )
  })

  it("takes addresses of 10–300 characters once white space is tidied", () => {
    assert.deepEqual(parseAddress("  کوتاه   "), Either.left({ _tag: "AddressTooShort" }))
    assert.ok(Either.isRight(parseAddress("a".repeat(10))))
    assert.ok(Either.isRight(parseAddress("a".repeat(300))))
    assert.deepEqual(parseAddress("a".repeat(301)), Either.left({ _tag: "AddressTooLong", length: 301 }))
    assert.deepEqual(parseAddress("خيابان  كريمخان   زند ۱۲"), Either.right("خیابان کریمخان زند ۱۲"))
  })
})

describe("catalog", () => {
  it("reads the shipped catalog and puts the student's grade first", () => {
    assert.deepEqual(
      freeClassesFor(CATALOG, "یازدهم").map((course) => course.id),
      ["free_math_11th", "free_number_theory_12th", "free_math_10th", "free_math_12th"],
    )
    assert.equal(formatToman(1500000), "۱٬۵۰۰٬۰۰۰ تومان")
    assert.equal(groupCardNumber("6037990000001234"), "6037 9900 0000 1234")
  })

  it("refuses a catalog with a duplicate id or a priced free class, saying which", () => {
    const [first] = CATALOG.courses
    const duplicate = decodeCatalog({ ...CATALOG, courses: [first, first] })
    assert.match(Either.isLeft(duplicate) ? duplicate.left : "", /used twice/)
    const priced = decodeCatalog({ ...CATALOG, courses: [{ ...first, price_toman: 10 }] })
    assert.match(Either.isLeft(priced) ? priced.left : "", /has a price/)
    assert.ok(Either.isLeft(decodeCatalog({ contact: {} })))
  })
})

describe("orders", () => {
  const book = CATALOG.books[0]
  if (book === undefined) throw new Error("no book")
  const order = placeOrder("ORDER1", UserId.make(5), bookItem(book), now)

  it("walks the checkout steps and refuses to skip a required one", () => {
    assert.deepEqual(answerCheckout(order, { _tag: "Skip" }, now), Either.left({ _tag: "NotSkippable" }))
    const withCode = Either.getOrThrow(answerCheckout(order, { _tag: "Text", text: "1234567890" }, now))
    assert.deepEqual(answerCheckout(withCode, { _tag: "Skip" }, now), Either.left({ _tag: "NotSkippable" }))
    const withAddress = Either.getOrThrow(
      answerCheckout(withCode, { _tag: "Text", text: "تهران، خیابان آزادی ۱" }, now),
    )
    assert.deepEqual(
      answerCheckout(withAddress, { _tag: "Text", text: "x".repeat(301) }, now),
      Either.left({ _tag: "NotesTooLong", length: 301 }),
    )
    const done = Either.getOrThrow(answerCheckout(withAddress, { _tag: "Text", text: "زنگ دوم" }, now))
    assert.equal(done.status, "awaiting_receipt")
    assert.equal(done.step, undefined)
    assert.equal(done.shipping?.notes, "زنگ دوم")
  })

  it("lets only the first decision stand", () => {
    const reviewed = {
      ...order,
      status: "under_review" as const,
      receipts: [{ id: "R1", fileId: "f", fileUniqueId: "u", submittedAt: now, reviewCopies: [] }],
    }
    const approve = { verdict: "approved" as const, adminId: 1, adminName: "الف", at: now }
    const first = Either.getOrThrow(decideReceipt(reviewed, "R1", approve))
    assert.equal(first.status, "approved")
    const second = decideReceipt(first, "R1", {
      ...approve,
      verdict: "rejected",
      reason: "amount",
      adminName: "ب",
    })
    assert.deepEqual(second, Either.left({ _tag: "AlreadyDecided", decision: approve }))
    assert.deepEqual(decideReceipt(first, "R9", approve), Either.left({ _tag: "UnknownReceipt" }))
  })

  it("counts seats against capacity, 0 meaning no limit", () => {
    const seats = [{ userId: 1 }, { userId: 2 }]
    assert.equal(enrolOutcome(seats, 1, 2), "AlreadyEnrolled")
    assert.equal(enrolOutcome(seats, 3, 2), "Full")
    assert.equal(enrolOutcome(seats, 3, 3), "Enrolled")
    assert.equal(enrolOutcome(seats, 3, 0), "Enrolled")
  })
})

describe("CSV", () => {
  it("neutralises formula cells, quotes what needs quoting, starts with a BOM", () => {
    for (const cell of ["=1+1", "+98", "-2", "@SUM(A1)", "\tx", "\rx"]) assert.equal(neutralise(cell)[0], "'")
    assert.equal(neutralise("علی"), "علی")
    const csv = toCsv(
      ["a", "b"],
      [
        ["x,y", 'he said "hi"'],
        [1, undefined],
        [new Date(0), true],
      ],
    )
    assert.equal(csv, `${BOM}a,b\r\n"x,y","he said ""hi"""\r\n1,\r\n1970-01-01T00:00:00.000Z,true\r\n`)
  })
})

describe("statistics and broadcasts", () => {
  it("counts per Tehran day (UTC+03:30)", () => {
    assert.equal(tehranDay(new Date("2026-11-24T20:29:00Z")), "2026-11-24")
    assert.equal(tehranDay(new Date("2026-11-24T20:31:00Z")), "2026-11-25")
    const stats = computeStatistics(
      [{ grade: "دهم", major: "هنر", province: "قم", registrationDate: new Date("2026-11-24T21:00:00Z") }],
      now,
      2,
    )
    assert.deepEqual(stats.perDay.at(-1), ["2026-11-25", 1])
    assert.equal(stats.perDay.length, 14)
    assert.equal(stats.pendingReceipts, 2)
  })

  it("tallies recipients, claimed ones as uncertain", () => {
    assert.deepEqual(tally(["sent", "sent", "blocked", "failed", "claimed"]), {
      sent: 2,
      blocked: 1,
      failed: 1,
      uncertain: 1,
    })
  })
})
