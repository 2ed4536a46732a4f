import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Either } from "effect"
import fc from "fast-check"
import { toPersianDigits } from "../../src/domain/digits.ts"
import { parsePhone } from "../../src/domain/phone.ts"

const ok = (input: string) => Either.getOrThrow(parsePhone(input))

describe("parsePhone", () => {
  it("normalises every accepted form to +98…", () => {
    for (const input of [
      "+989121234567",
      "09121234567",
      "9121234567",
      "00989121234567",
      "989121234567",
      "+98 912 123 4567",
      "0912-123-4567",
      "(0912) 123 4567",
      "۰۹۱۲۱۲۳۴۵۶۷",
      "٠٩١٢١٢٣٤٥٦٧",
      "+۹۸۹۱۲۱۲۳۴۵۶۷",
      "\u200E+98 912 123 4567",
    ]) {
      assert.equal(ok(input), "+989121234567", input)
    }
  })

  it("refuses what is not an Iranian mobile", () => {
    for (const input of [
      "",
      "abc",
      "02112345678",
      "+12025550123",
      "091212345678",
      "0912123456",
      "+98812345678",
      "912 123 456",
      "9121234567a",
      "98",
    ]) {
      assert.ok(Either.isLeft(parsePhone(input)), input)
    }
  })

  it("property: any 9xxxxxxxxx in any accepted dress parses to the same number", () => {
    const national = fc.stringMatching(/^9\d{9}$/)
    const prefix = fc.constantFrom("", "0", "+98", "0098", "98")
    fc.assert(
      fc.property(national, prefix, fc.boolean(), (number, before, persian) => {
        const text = before + number
        assert.equal(ok(persian ? toPersianDigits(text) : text), `+98${number}`)
      }),
    )
  })
})
