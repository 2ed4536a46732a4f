import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Either, Schema } from "effect"
import fc from "fast-check"
import { PersianName, parsePersianName } from "../../src/domain/persian-name.ts"

const reasonOf = (input: string) =>
  Either.match(parsePersianName(input), { onLeft: (e) => e.reason, onRight: () => "ok" })

describe("parsePersianName", () => {
  it("accepts Persian names with inner spaces and ZWNJ", () => {
    assert.equal(Either.getOrThrow(parsePersianName("علی")), "علی")
    assert.equal(Either.getOrThrow(parsePersianName("  محمد   رضا  ")), "محمد رضا")
    assert.equal(Either.getOrThrow(parsePersianName("محمدحسین‌زاده")), "محمدحسین‌زاده")
    assert.equal(Either.getOrThrow(parsePersianName("آرش")), "آرش")
  })

  it("normalises Arabic ي and ك to Persian ی and ک", () => {
    assert.equal(Either.getOrThrow(parsePersianName("علي")), "علی")
    assert.equal(Either.getOrThrow(parsePersianName("كاظم")), "کاظم")
  })

  it("tidies ZWNJ at the edges and beside spaces", () => {
    assert.equal(Either.getOrThrow(parsePersianName("\u200Cمریم\u200C")), "مریم")
    assert.equal(Either.getOrThrow(parsePersianName("حسین \u200C زاده")), "حسین\u200Cزاده")
  })

  it("refuses with a reason", () => {
    assert.equal(reasonOf(""), "empty")
    assert.equal(reasonOf("   "), "empty")
    assert.equal(reasonOf("ع"), "too_short")
    assert.equal(reasonOf("ب".repeat(51)), "too_long")
    assert.equal(reasonOf("Ali"), "latin")
    assert.equal(reasonOf("علیA"), "latin")
    assert.equal(reasonOf("علی۲"), "digits")
    assert.equal(reasonOf("علی2"), "digits")
    assert.equal(reasonOf("علی😀"), "symbols")
    assert.equal(reasonOf("علی!"), "symbols")
    assert.equal(reasonOf("<b>"), "latin")
    assert.equal(reasonOf("علی، رضا"), "symbols")
  })

  it("property: whatever it accepts is a valid PersianName and is stable", () => {
    const persianChars = fc.constantFrom(..."ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكآ \u200C!A1۱😀".split(""))
    fc.assert(
      fc.property(fc.array(persianChars, { maxLength: 60 }), (chars) => {
        const result = parsePersianName(chars.join(""))
        if (Either.isRight(result)) {
          assert.ok(Schema.is(PersianName)(result.right))
          assert.ok(result.right.length >= 2 && result.right.length <= 50)
          assert.ok(!/[يك]/.test(result.right))
          assert.deepEqual(parsePersianName(result.right), result)
        }
      }),
    )
  })
})
