import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Schema } from "effect"
import fc from "fast-check"
import { provinceNames } from "../../src/domain/geography.ts"
import { answer, editProfile } from "../../src/domain/registration.ts"
import {
  type Answer,
  FIELDS,
  newRegistration,
  PAGE_SIZE,
  RegistrationDraft,
  type Transition,
} from "../../src/domain/registration-draft.ts"
import { question } from "../../src/domain/registration-question.ts"
import { LABELS } from "../../src/domain/registration-texts.ts"
import type { Reply } from "../../src/domain/reply.ts"
import { Profile } from "../../src/domain/student.ts"

const buttons = (reply: Reply) => (reply.choices ?? []).flat()
const button = (reply: Reply, label: string) => {
  const found = buttons(reply).find((choice) => choice.label === label || choice.label.includes(label))
  assert.ok(found, `no button «${label}» in ${JSON.stringify(buttons(reply).map((b) => b.label))}`)
  return { _tag: "Button", data: found.data } as const
}
const text = (value: string): Answer => ({ _tag: "Text", text: value })

const asked = (transition: Transition) => {
  assert.equal(transition._tag, "Ask", JSON.stringify(transition))
  return transition as Extract<Transition, { _tag: "Ask" }>
}

/** Walks the whole registration the way a student taps through it. */
const walk = () => {
  let draft = newRegistration
  const step = (input: Answer | ((reply: Reply) => Answer)) => {
    const next = asked(answer(draft, typeof input === "function" ? input(question(draft)) : input))
    draft = next.draft
    return next
  }
  step(text("علی"))
  step(text("رضایی"))
  step((q) => button(q, "یازدهم"))
  step((q) => button(q, "ریاضی"))
  step((q) => button(q, LABELS.next))
  const province = provinceNames[PAGE_SIZE + 1] as string
  step((q) => button(q, province))
  step((q) => (q.choices?.[0]?.[0] ? { _tag: "Button", data: q.choices[0][0].data } : text("")))
  step({ _tag: "Contact", phone: "989121234567", own: true })
  return { draft, province }
}

describe("registration state machine", () => {
  it("asks the seven questions in order and reaches the summary", () => {
    const { draft, province } = walk()
    assert.equal(draft.step, "confirm")
    assert.equal(draft.answers.firstName, "علی")
    assert.equal(draft.answers.grade, "یازدهم")
    assert.equal(draft.answers.province, province)
    assert.equal(draft.answers.phone, "+989121234567")
    const done = answer(draft, button(question(draft), LABELS.confirm))
    assert.equal(done._tag, "Done")
    assert.ok(done._tag === "Done" && Schema.is(Profile)(done.profile))
  })

  it("re-asks a name with the reason, and keeps the step", () => {
    const next = asked(answer(newRegistration, text("Ali")))
    assert.equal(next.draft.step, "first_name")
    assert.match(next.replies[0]?.text ?? "", /فارسی/)
  })

  it("treats text or stickers at a button step as a repeat of the question", () => {
    const atGrade = asked(answer(asked(answer(newRegistration, text("علی"))).draft, text("رضایی"))).draft
    for (const input of [text("سلام"), { _tag: "Unsupported" } as const]) {
      const next = asked(answer(atGrade, input))
      assert.equal(next.draft.step, "grade")
      assert.ok(buttons(next.replies[0] as Reply).some((b) => b.label === "دهم"))
    }
  })

  it("accepts a typed option name at a button step", () => {
    const atGrade = asked(answer(asked(answer(newRegistration, text("علی"))).draft, text("رضایی"))).draft
    assert.equal(asked(answer(atGrade, text("دهم"))).draft.step, "major")
  })

  it("refuses someone else's contact and a contact at another step", () => {
    const { draft } = walk()
    const atPhone = asked(answer(draft, { _tag: "Text", text: LABELS.back })).draft
    assert.equal(atPhone.step, "phone")
    const other = asked(answer(atPhone, { _tag: "Contact", phone: "+989121234567", own: false }))
    assert.equal(other.draft.step, "phone")
    assert.match(other.replies[0]?.text ?? "", /خود شما نیست/)
    const early = asked(answer(newRegistration, { _tag: "Contact", phone: "+989121234567", own: true }))
    assert.equal(early.draft.step, "first_name")
  })

  it("ignores stale, forged and double-tapped buttons", () => {
    const atGrade = asked(answer(asked(answer(newRegistration, text("علی"))).draft, text("رضایی"))).draft
    const tap = button(question(atGrade), "دهم")
    const after = asked(answer(atGrade, tap)).draft
    const again = answer(after, tap)
    assert.ok(again._tag === "Ignored" && again.notice.includes("فعال نیست"))
    assert.equal(answer(after, { _tag: "Button", data: "price:1" })._tag, "Ignored")
    assert.equal(answer(after, { _tag: "Button", data: `r${after.revision}:o99` })._tag, "Ignored")
  })

  it("pages provinces with no more than 8 rows a keyboard", () => {
    let draft: RegistrationDraft = { ...newRegistration, step: "province" }
    const seen = new Set<string>()
    for (;;) {
      const reply = question(draft)
      assert.ok((reply.choices?.length ?? 0) <= 8)
      for (const b of buttons(reply)) if (provinceNames.includes(b.label as never)) seen.add(b.label)
      const next = buttons(reply).find((b) => b.label.includes("بعدی"))
      if (next === undefined) break
      const turned = answer(draft, { _tag: "Button", data: next.data })
      assert.ok(turned._tag === "Ask" && turned.inPlace)
      draft = turned.draft
    }
    assert.equal(seen.size, 31)
    const back = buttons(question(draft)).find((b) => b.label.includes("قبلی"))
    assert.ok(back)
  })

  it("cancels from every step", () => {
    const { draft } = walk()
    assert.deepEqual(answer(draft, button(question(draft), "انصراف")), {
      _tag: "Cancelled",
      mode: "register",
    })
    assert.deepEqual(answer(newRegistration, text("انصراف")), { _tag: "Cancelled", mode: "register" })
  })

  it("edits one field of the summary and returns to it", () => {
    const { draft } = walk()
    const choosing = asked(answer(draft, button(question(draft), "ویرایش"))).draft
    const atGrade = asked(answer(choosing, button(question(choosing), "پایه"))).draft
    const back = asked(answer(atGrade, button(question(atGrade), "دهم")))
    assert.equal(back.draft.step, "confirm")
    assert.equal(back.draft.answers.grade, "دهم")
  })

  it("edits a registered student's province and then asks the city", () => {
    const { draft } = walk()
    const profile = Schema.decodeUnknownSync(Profile)(draft.answers)
    const editing = editProfile(profile, "province")
    const tehran = asked(answer(editing, text("تهران")))
    assert.equal(tehran.draft.step, "city")
    assert.equal(tehran.draft.answers.city, undefined)
    const done = answer(tehran.draft, text("تهران"))
    assert.equal(done._tag, "Done")
    assert.ok(done._tag === "Done" && done.profile.province === "تهران" && done.profile.firstName === "علی")
    assert.deepEqual(answer(editProfile(profile), button(question(editProfile(profile)), "بازگشت")), {
      _tag: "Cancelled",
      mode: "edit",
    })
  })

  it("property: no sequence of inputs skips a step or produces an invalid student", () => {
    const input = fc.oneof(
      fc.constantFrom<Answer>(
        text("علی"),
        text("رضایی"),
        text("Ali"),
        text("۰۹۱۲۱۲۳۴۵۶۷"),
        text("12"),
        text("تهران"),
        text(LABELS.back),
        { _tag: "Contact", phone: "989121234567", own: true },
        { _tag: "Contact", phone: "989121234567", own: false },
        { _tag: "Unsupported" },
        { _tag: "Button", data: "r0:o0" },
      ),
      fc.nat({ max: 40 }).map((index) => ({ _tag: "Tap", index }) as const),
    )
    fc.assert(
      fc.property(fc.array(input, { maxLength: 60 }), (inputs) => {
        let draft = newRegistration
        for (const raw of inputs) {
          const reply = question(draft)
          const all = buttons(reply).filter((b) => !b.label.includes("انصراف"))
          const tap = raw._tag === "Tap" ? all[raw.index % Math.max(1, all.length)] : undefined
          const event: Answer =
            raw._tag === "Tap" ? (tap ? { _tag: "Button", data: tap.data } : text("")) : raw
          const result = answer(draft, event)
          if (result._tag === "Done") {
            assert.ok(Schema.is(Profile)(result.profile))
            assert.equal(draft.step, "confirm")
            return
          }
          if (result._tag !== "Ask") continue
          const before = FIELDS.indexOf(draft.step as never)
          const after = FIELDS.indexOf(result.draft.step as never)
          // Forward moves are one step at a time; confirm only with every answer present.
          if (!result.draft.revisiting && after >= 0 && before >= 0) assert.ok(after <= before + 1)
          if (result.draft.step === "confirm") assert.ok(Schema.is(Profile)(result.draft.answers))
          for (let i = 0; i < Math.max(0, after); i++) {
            if (!result.draft.revisiting) assert.notEqual(result.draft.answers[keys[i] as never], undefined)
          }
          assert.ok(Schema.is(RegistrationDraft)(result.draft))
          draft = result.draft
        }
      }),
      { numRuns: 400 },
    )
  })
})

const keys = ["firstName", "lastName", "grade", "major", "province", "city", "phone"]
