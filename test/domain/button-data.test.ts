import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Schema } from "effect"
import fc from "fast-check"
import { buttonCodec, literalField, numberField, textField } from "../../src/domain/button-data.ts"
import { FIELDS, newRegistration } from "../../src/domain/registration-draft.ts"
import { decode, encode } from "../../src/domain/registration-question.ts"

type Sample =
  | { readonly _tag: "Show"; readonly id: string }
  | { readonly _tag: "Page"; readonly id: string; readonly page: number }
  | { readonly _tag: "Pick"; readonly colour: "red" | "blue" }
  | { readonly _tag: "Home" }

const sample = buttonCodec<Sample>()(
  {
    id: textField("[a-z]{1,8}"),
    page: numberField(2),
    colour: literalField("[a-z]{1,8}", Schema.Literal("red", "blue")),
  },
  { Show: "s:{id}", Page: "p:{id}:{page}", Pick: "k.{colour}", Home: "home" },
)

describe("button data (one engine for every button)", () => {
  it("writes each action by its template and reads it back", () => {
    assert.equal(sample.write({ _tag: "Page", id: "abc", page: 7 }), "p:abc:7")
    assert.deepEqual(sample.read("p:abc:7"), { _tag: "Page", id: "abc", page: 7 })
    assert.deepEqual(sample.read("home"), { _tag: "Home" })
    assert.deepEqual(sample.read("k.blue"), { _tag: "Pick", colour: "blue" })
  })

  it("reads nothing that does not match a template exactly, or whose field does not decode", () => {
    for (const data of [
      "",
      "home ",
      "s:",
      "s:ABC",
      "s:abc:1",
      "p:abc:123",
      "p:abc:x",
      "k.green",
      "kxred",
      "s:toolongname",
    ])
      assert.equal(sample.read(data), undefined, data)
  })

  it("keeps the registration's button data as it was (r<revision>:<code>), old buttons in chats included", () => {
    const draft = { ...newRegistration, revision: 12 }
    assert.equal(encode(draft, { kind: "option", index: 3 }), "r12:o3")
    assert.equal(encode(draft, { kind: "page", page: 2 }), "r12:p2")
    assert.equal(encode(draft, { kind: "field", field: "city" }), `r12:f${FIELDS.indexOf("city")}`)
    assert.equal(encode(draft, { kind: "confirm" }), "r12:confirm")
    assert.deepEqual(decode("r01:o1"), { revision: 1, action: { kind: "option", index: 1 } })
    assert.deepEqual(decode("r3:back"), { revision: 3, action: { kind: "back" } })
    for (const data of [`r1:f${FIELDS.length}`, "r1:o1234", "r1234567890:o1", "r:o1", "r1:done", "r1:o"])
      assert.equal(decode(data), undefined, data)
  })

  it("reads back every registration button it writes", () => {
    const action = fc.oneof(
      fc.record({ kind: fc.constant("option" as const), index: fc.integer({ min: 0, max: 999 }) }),
      fc.record({ kind: fc.constant("page" as const), page: fc.integer({ min: 0, max: 999 }) }),
      fc.record({ kind: fc.constant("field" as const), field: fc.constantFrom(...FIELDS) }),
      fc.record({
        kind: fc.constantFrom("back" as const, "cancel" as const, "confirm" as const, "edit" as const),
      }),
    )
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), action, (revision, pressed) => {
        const data = encode({ ...newRegistration, revision }, pressed)
        assert.ok(Buffer.byteLength(data) <= 64)
        assert.deepEqual(decode(data), { revision, action: { ...pressed } })
      }),
    )
  })
})
