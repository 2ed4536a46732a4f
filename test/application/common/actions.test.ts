import assert from "node:assert/strict"
import { describe, it } from "node:test"
import fc from "fast-check"
import { type Action, actionData, parseAction } from "../../../src/application/common/actions.ts"
import { REJECTION_REASON_KEYS } from "../../../src/domain/order.ts"
import { GRADES } from "../../../src/domain/school.ts"

const id = fc.stringMatching(/^[a-z0-9_]{1,48}$/)
const key = fc.stringMatching(/^[A-Z0-9]{4,16}$/)

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.constantFrom<Action>(
    { _tag: "Overview" },
    { _tag: "FreeClasses" },
    { _tag: "PaidCourses" },
    { _tag: "MyCourses" },
  ),
  fc.record({
    _tag: fc.constantFrom("ShowCourse", "Enrol", "Leave", "BuyCourse"),
    courseId: id,
  }) as fc.Arbitrary<Action>,
  fc.record({ _tag: fc.constant("BuyBook" as const), bookId: id }),
  fc.record({ _tag: fc.constantFrom("SkipNotes", "CancelOrder"), orderId: key }) as fc.Arbitrary<Action>,
  fc.record({
    _tag: fc.constantFrom("Approve", "AskReason", "ReviewBack"),
    orderId: key,
    receiptId: key,
  }) as fc.Arbitrary<Action>,
  fc.record({
    _tag: fc.constant("Reject" as const),
    reason: fc.constantFrom(...REJECTION_REASON_KEYS),
    orderId: key,
    receiptId: key,
  }),
  fc.record({
    _tag: fc.constant("Audience" as const),
    audience: fc.constantFrom("all" as const, ...GRADES),
    broadcastId: key,
  }),
  fc.record({
    _tag: fc.constantFrom("ChangeAudience", "SendBroadcast", "CancelBroadcast"),
    broadcastId: key,
  }) as fc.Arbitrary<Action>,
)

describe("button data of the classes, orders and admin screens (one codec table)", () => {
  it("reads back every action it writes, within Telegram's 64 bytes", () => {
    fc.assert(
      fc.property(action, (written) => {
        const data = actionData(written)
        assert.ok(Buffer.byteLength(data) <= 64, data)
        // (fast-check makes its records without a prototype)
        assert.deepEqual(parseAction(data), { ...written })
      }),
    )
  })

  it("keeps the data it has always written (old buttons in chats keep working)", () => {
    assert.equal(actionData({ _tag: "ShowCourse", courseId: "calc_12" }), "c:show:calc_12")
    assert.equal(
      actionData({ _tag: "Reject", reason: "amount", orderId: "AB12", receiptId: "CD34" }),
      "r:why:amount:AB12:CD34",
    )
    assert.deepEqual(parseAction("b:to:دهم:XY12"), { _tag: "Audience", audience: "دهم", broadcastId: "XY12" })
    assert.deepEqual(parseAction("c:home"), { _tag: "Overview" })
  })

  it("treats anything else as no action: unknown reasons and audiences, extra fields, bad ids", () => {
    for (const data of [
      "r:why:rude:AB12:CD34",
      "b:to:everyone:XY12",
      "c:home:x",
      "c:show:",
      "o:skip:ab12",
      "c:show:UPPER",
      "",
    ])
      assert.equal(parseAction(data), undefined, data)
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (data) => {
        const read = parseAction(data)
        if (read !== undefined) assert.equal(actionData(read), data)
      }),
    )
  })
})
