import assert from "node:assert/strict"
import { describe, it } from "node:test"
import fc from "fast-check"
import { makeRedactor } from "../../../src/adapters/logging/redact.ts"
import { toLatinDigits } from "../../../src/domain/digits.ts"

const TOKEN = "123456789:AAEhBOweik6ad9r_ZtYf-kJ0bXmDn5sLq2w"
const CARD = "6037991234567890"
const redact = makeRedactor([TOKEN, CARD])

const toScript = (digits: string, script: "latin" | "persian" | "arabic") =>
  script === "latin"
    ? digits
    : digits.replace(/\d/g, (d) => String.fromCharCode((script === "persian" ? 0x06f0 : 0x0660) + Number(d)))

/** Digits only, in Latin: what would be left of a number once separators and scripts are ignored. */
const digitsOf = (text: string) => toLatinDigits(text).replace(/\D/g, "")

const mobile = fc.record({
  national: fc.stringMatching(/^9\d{9}$/),
  prefix: fc.constantFrom("+98", "0098", "98", "0", "", "+98 ", "0098-"),
  separator: fc.constantFrom("", " ", "-", "\u200c"),
  script: fc.constantFrom("latin" as const, "persian" as const, "arabic" as const),
})

type Mobile = typeof mobile extends fc.Arbitrary<infer T> ? T : never

const written = ({ national, prefix, separator, script }: Mobile) => {
  const grouped = [national.slice(0, 3), national.slice(3, 6), national.slice(6)].join(separator)
  return toScript(prefix + grouped, script)
}

describe("redaction of log lines", () => {
  it("removes an Iranian mobile in any form the bot accepts, wherever it sits in a line", () => {
    fc.assert(
      fc.property(
        mobile,
        fc.constantFrom("", "phone=", "شماره: ", '{"text":"', "("),
        fc.constantFrom("", ",", '"}', " سلام", ")"),
        (phone, before, after) => {
          const line = `${before}${written(phone)}${after}`
          const clean = redact(line)
          assert.ok(!digitsOf(clean).includes(phone.national), `${line} → ${clean}`)
          assert.ok(clean.includes("[phone]"))
        },
      ),
    )
  })

  it("removes a phone typed with a tab or newline inside, once JSON escaped it", () => {
    const line = JSON.stringify({ text: "0912\t123\n4567", other: "+98\n912 123 4567" })
    assert.equal(redact(line), '{"text":"[phone]","other":"[phone]"}')
  })

  it("removes card numbers, grouped or not, in any digits", () => {
    for (const card of [
      CARD,
      "6037-9912-3456-7890",
      "6037 9912 3456 7890",
      toScript("5022291012345678", "persian"),
    ]) {
      assert.match(redact(`card ${card} paid`), /^card \[(card|secret)\] paid$/)
      assert.equal(makeRedactor()(`card ${card} paid`), "card [card] paid", "even when not configured")
    }
  })

  it("removes the bot token, whole, in a URL, or only its secret half", () => {
    assert.equal(redact(`POST /bot${TOKEN}/sendMessage`), "POST /bot[secret]/sendMessage")
    assert.equal(redact("secret AAEhBOweik6ad9r_ZtYf-kJ0bXmDn5sLq2w!"), "secret [secret]!")
    assert.equal(makeRedactor()(`other ${"987654321:AAFzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"}`), "other [token]")
  })

  it("keeps what operators need: times, ids, durations, counts", () => {
    for (const line of [
      '{"time":"2026-11-25T08:00:00.000Z","level":"INFO","msg":"update failed [K7M2QX9A]","userId":5001}',
      "user 123456789 handled in 12.5 ms; update_id 912345678; 1732521600000",
      "bot_update_duration_seconds_sum 0.091234567",
    ])
      assert.equal(redact(line), line)
  })
})
