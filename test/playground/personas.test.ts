import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Either } from "effect"
import { createPersonas, PRETEND_ADMIN_ID } from "../../playground/personas.ts"
import { parsePhone } from "../../src/domain/phone.ts"

describe("the playground's personas", () => {
  it("starts with three students and the admins, each with their own valid mobile", () => {
    const personas = createPersonas([PRETEND_ADMIN_ID, 123456789])
    const all = personas.all()
    assert.deepEqual(
      all.map((person) => [person.id, person.role]),
      [
        [7001, "student"],
        [7002, "student"],
        [7003, "student"],
        [1000, "admin"],
        [123456789, "admin"],
      ],
    )
    assert.equal(new Set(all.map((person) => person.phone)).size, all.length)
    for (const person of all) assert.ok(Either.isRight(parsePhone(`+${person.phone}`)), person.phone)
    assert.equal(personas.find(1000)?.first_name, "مدیر ۱")
    assert.equal(personas.find(42), undefined)
  })

  it("adds students with fresh ids, never an admin's", () => {
    const personas = createPersonas([7004])
    const added = personas.addStudent()
    assert.equal(added.id, 7005)
    assert.equal(added.role, "student")
    assert.equal(personas.find(7005), added)
    assert.equal(createPersonas([]).addStudent().id, 7004)
    assert.equal(createPersonas([123456789]).addStudent().id, 7004, "a large admin id does not move students")
  })
})
