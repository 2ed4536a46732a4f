import assert from "node:assert/strict"
import { describe, it } from "node:test"
import fc from "fast-check"
import { makeIdSlots } from "../../../src/adapters/files/id-slots.ts"

/**
 * The table against a Map, used as the student index uses it: ids live in a dense column, a deleted id's
 * slot is filled by the last one.
 */
const model = () => {
  const column: Array<number> = []
  const slots = makeIdSlots((slot) => column[slot] as number)
  const map = new Map<number, number>()
  return {
    slots,
    map,
    add: (id: number) => {
      if (map.has(id)) return
      column.push(id)
      slots.set(id, column.length - 1)
      map.set(id, column.length - 1)
    },
    remove: (id: number) => {
      const slot = map.get(id)
      slots.delete(id)
      if (slot === undefined) return
      map.delete(id)
      const last = column.length - 1
      const moved = column[last] as number
      if (slot !== last) {
        column[slot] = moved
        slots.set(moved, slot)
        map.set(moved, slot)
      }
      column.pop()
    },
  }
}

// Telegram's ids: small ones, and ones past 2³² (the hash takes both halves of the number)
const ids = fc.oneof(
  fc.integer({ min: 1, max: 64 }),
  fc.integer({ min: 1, max: 2 ** 40 }),
  fc.constantFrom(2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1),
)

describe("id → slot table", () => {
  it("answers as a Map does through any sequence of adds and deletes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ add: fc.boolean(), id: ids }), { maxLength: 3000 }),
        fc.array(ids, { maxLength: 50 }),
        (steps, probes) => {
          const { slots, map, add, remove } = model()
          for (const step of steps) (step.add ? add : remove)(step.id)
          assert.equal(slots.size(), map.size)
          for (const [id, slot] of map) assert.equal(slots.get(id), slot)
          for (const id of probes) assert.equal(slots.get(id), map.get(id))
        },
      ),
      { numRuns: 60 },
    )
  })

  it("keeps every id through growth, long probe runs and deletes in the middle of them", () => {
    const { slots, map, add, remove } = model()
    // ids one table length apart collide on the low bits before mixing; sequential ids too
    for (let n = 0; n < 20_000; n++) add(1_000_000 + n)
    for (let n = 0; n < 5000; n++) add(7 * 2 ** 33 + n * 4096)
    for (let n = 0; n < 20_000; n += 3) remove(1_000_000 + n)
    for (let n = 0; n < 5000; n += 2) remove(7 * 2 ** 33 + n * 4096)
    assert.equal(slots.size(), map.size)
    for (const [id, slot] of map) assert.equal(slots.get(id), slot)
    assert.equal(slots.get(1_000_000), undefined)
    assert.equal(slots.get(999_999), undefined)
  })

  it("reserves room up front, and forgets everything on clear", () => {
    const column = Array.from({ length: 5000 }, (_, n) => 10 + n)
    const slots = makeIdSlots((slot) => column[slot] as number)
    slots.reserve(5000)
    column.forEach((id, slot) => {
      slots.set(id, slot)
    })
    assert.equal(slots.get(10 + 4999), 4999)
    slots.clear()
    assert.equal(slots.size(), 0)
    assert.equal(slots.get(10), undefined)
  })
})
