import assert from "node:assert/strict"
import { execFile } from "node:child_process"
import { resolve } from "node:path"
import { describe, it } from "node:test"
import { promisify } from "node:util"

const run = promisify(execFile)
const heapModule = resolve(import.meta.dirname, "../../../src/adapters/system/heap.ts")

/** In a fresh node: leave ~60 MB of garbage, compact, and print the heap's size before and after. */
const script = `
import { Effect } from "effect"
import { compactHeapAfterStart } from ${JSON.stringify(heapModule)}
let keep = []
for (let i = 0; i < 600_000; i++) keep.push({ i, text: "x".repeat(20) + i })
keep = undefined
const before = process.memoryUsage().heapTotal
await Effect.runPromise(compactHeapAfterStart)
console.log(JSON.stringify({ before, after: process.memoryUsage().heapTotal }))
`

const sizes = async (flags: ReadonlyArray<string>) => {
  const { stdout } = await run(process.execPath, [...flags, "--input-type=module", "-e", script], {
    cwd: resolve(import.meta.dirname, "../../.."),
  })
  return JSON.parse(stdout) as { before: number; after: number }
}

describe("heap compaction after start-up", () => {
  it("gives back the heap that start-up garbage grew, when node runs with --expose-gc", async () => {
    const { before, after } = await sizes(["--expose-gc"])
    assert.ok(after < before * 0.7, `heap ${before} → ${after} bytes`)
  })

  it("does nothing without --expose-gc", async () => {
    const { before, after } = await sizes([])
    assert.ok(after > before * 0.7, `heap ${before} → ${after} bytes: no collection was forced`)
  })
})
