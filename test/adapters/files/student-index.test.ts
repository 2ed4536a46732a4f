import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { makeStudentIndex } from "../../../src/adapters/files/student-index.ts"
import { summaryOf } from "../../../src/application/ports/student-directory.ts"
import { student } from "../../support/students.ts"

const file = (n: number) => ({ mtimeMs: 1_700_000_000_000 + n / 7, size: 300 + n })

const filled = (count: number) => {
  const index = makeStudentIndex()
  for (let id = 1; id <= count; id++) {
    const s = student(id, 0, id % 3 === 0 ? "دهم" : "یازدهم")
    index.set({ ...summaryOf(s), province: id % 2 === 0 ? "فارس" : "تهران" }, file(id))
  }
  return index
}

describe("student index", () => {
  it("keeps summaries and file stamps, replaces on set, and stays dense on delete", () => {
    const index = filled(3000)
    assert.equal(index.count(), 3000)
    index.delete(1)
    index.delete(1)
    index.delete(2999)
    index.set(summaryOf(student(5, 0, "دوازدهم")), file(5))
    assert.equal(index.count(), 2998)
    assert.equal(index.get(1), undefined)
    assert.equal(index.get(5)?.summary.grade, "دوازدهم")
    assert.deepEqual(index.fileOf(3000), file(3000))
    assert.equal(new Set(index.ids()).size, 2998)
    assert.deepEqual(
      index.summaries().find((s) => s.userId === 3000),
      { ...summaryOf(student(3000, 0, "دهم")), province: "فارس" },
    )
  })

  it("restores exactly what its snapshot held, and refuses a damaged or foreign snapshot", () => {
    const index = filled(500)
    index.delete(7)
    assert.equal(index.changedSinceSnapshot(), true)
    const bytes = index.snapshot()
    assert.equal(index.changedSinceSnapshot(), false)
    const restored = makeStudentIndex()
    assert.equal(restored.restore(bytes), 499)
    assert.deepEqual(restored.summaries(), index.summaries())
    assert.deepEqual(restored.fileOf(42), index.fileOf(42))

    const flipped = Buffer.from(bytes)
    flipped[flipped.length - 600] = (flipped[flipped.length - 600] ?? 0) ^ 1
    assert.equal(makeStudentIndex().restore(flipped), 0, "checksum mismatch")
    assert.equal(makeStudentIndex().restore(bytes.subarray(0, bytes.length - 1)), 0, "cut short")
    assert.equal(makeStudentIndex().restore(Buffer.from('{"magic":"other"}\n')), 0)
    assert.equal(makeStudentIndex().restore(Buffer.from("no header")), 0)
  })
})
