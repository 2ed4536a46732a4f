import assert from "node:assert/strict"
import { describe, it } from "node:test"
import fc from "fast-check"
import { makeTokenBuckets } from "../../../src/adapters/decorators/token-buckets.ts"

const settings = { perMinute: 10, burst: 20, noticeWindowMs: 60_000 }

describe("token buckets", () => {
  it("allows the burst, then the sustained rate, and says when to come back", () => {
    const buckets = makeTokenBuckets(settings)
    for (let i = 0; i < 20; i += 1) assert.equal(buckets.take(1, 0)._tag, "Allowed")
    assert.deepEqual(buckets.take(1, 0), { _tag: "Limited", retryAfterSeconds: 6, notify: true })
    assert.deepEqual(buckets.take(1, 1000), { _tag: "Limited", retryAfterSeconds: 5, notify: false })
    assert.equal(buckets.take(1, 6000)._tag, "Allowed")
    assert.equal(buckets.take(1, 6000)._tag, "Limited")
  })

  it("never allows more than burst + rate × time, whatever the timing", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 300 }), (gaps) => {
        const buckets = makeTokenBuckets(settings)
        let now = 0
        let allowed = 0
        for (const gap of gaps) {
          now += gap
          if (buckets.take(1, now)._tag === "Allowed") allowed += 1
        }
        assert.ok(allowed <= settings.burst + (now * settings.perMinute) / 60_000 + 1e-9)
      }),
    )
  })

  it("notifies once per window however long the flood", () => {
    const buckets = makeTokenBuckets(settings)
    let notified = 0
    for (let now = 0; now < 10 * 60_000; now += 100) {
      const verdict = buckets.take(1, now)
      if (verdict._tag === "Limited" && verdict.notify) notified += 1
    }
    assert.ok(notified >= 9 && notified <= 10, `one notice per minute of flood, got ${notified}`)
  })

  it("forgets idle students, so memory follows the active ones", () => {
    const buckets = makeTokenBuckets(settings)
    for (let student = 0; student < 10_000; student += 1) buckets.take(student, 0)
    assert.equal(buckets.size(), 10_000)
    // Two minutes later every bucket is full again: one new action sweeps the idle ones away.
    buckets.take(99_999, 121_000)
    assert.equal(buckets.size(), 1)
  })

  it("keeps a limited student until the notice window and the refill are over", () => {
    const buckets = makeTokenBuckets(settings)
    for (let i = 0; i < 25; i += 1) buckets.take(1, 0)
    buckets.take(2, 119_000)
    assert.equal(buckets.size(), 2, "student 1 is still refilling")
    assert.equal(buckets.take(1, 119_000)._tag, "Allowed")
  })

  it("holds at most maxStudents, dropping the least recently seen", () => {
    const buckets = makeTokenBuckets({ ...settings, maxStudents: 100 })
    for (let student = 0; student < 1000; student += 1) buckets.take(student, student)
    assert.equal(buckets.size(), 100)
  })
})
