import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { runBot } from "../../bench/run-bot.ts"

// The bench itself (npm run bench) is not part of the suite; this only proves that it still drives both
// bots through a whole registration, so a change to the flow cannot silently break it.
describe("bench smoke: five students register with our bot and with the grammY baseline", () => {
  for (const bot of ["ours", "baseline"] as const) {
    it(`${bot}: every student registers and the figures are measured`, async () => {
      const figures = await runBot({ bot, students: 5, onDisk: 3 })
      assert.deepEqual(figures.failures, [])
      assert.equal(figures.registered, 5)
      assert.equal(figures.updates, 50)
      assert.ok(figures.latencyMs.p99 > 0 && figures.peakRssMb > 0 && figures.readyMs > 0)
      assert.equal(figures.latencyByStepMs.length, 10)
      assert.ok(figures.latencyByStepMs.every((step) => step.p50 > 0 && step.p99 >= step.p50))
      assert.ok(figures.latencyMs.p99AfterOpening <= figures.latencyMs.max)
    })
  }
})
