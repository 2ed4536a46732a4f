import assert from "node:assert/strict"
import { execFile } from "node:child_process"
import { describe, it } from "node:test"
import { promisify } from "node:util"

describe("npm run bench:floor", () => {
  it("sends a registration's 25 Bot API calls per student to the emulator, all carried out but the unpressed answers", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["bench/http-floor.ts", "--chats", "5"])
    const figures = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as {
      calls: number
      updates: number
      cpuMs: number
      refused: Record<string, number>
    }
    assert.equal(figures.calls, 125)
    assert.equal(figures.updates, 50)
    assert.deepEqual(figures.refused, { answerCallbackQuery: 30 })
    assert.ok(figures.cpuMs > 0)
    assert.match(stdout, /ms per update/)
  })
})
