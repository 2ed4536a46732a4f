import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { makeActiveStudents } from "../../../src/adapters/metrics/active-students.ts"

const MINUTE = 60_000

describe("active students", () => {
  it("counts distinct students per window", () => {
    const active = makeActiveStudents()
    active.seen(1, 0)
    active.seen(2, 10 * MINUTE)
    active.seen(1, 50 * MINUTE)
    active.seen(3, 58 * MINUTE)
    assert.equal(active.count(5 * MINUTE, 60 * MINUTE), 1)
    assert.equal(active.count(60 * MINUTE, 60 * MINUTE), 3)
    assert.equal(active.count(60 * MINUTE, 75 * MINUTE), 2, "student 2 is an hour gone")
  })

  it("forgets students older than the horizon while it records, without being asked", () => {
    const active = makeActiveStudents(60 * MINUTE)
    for (let student = 0; student < 5000; student += 1) active.seen(student, 0)
    for (let student = 5000; student < 6000; student += 1) active.seen(student, 61 * MINUTE)
    assert.equal(active.size(), 1000)
  })
})
