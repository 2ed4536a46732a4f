import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { describe, it } from "node:test"
import { makeMemoryLimit, parseBytes } from "../../bench/memory-limit.ts"

describe("bench --memory-limit", () => {
  it("reads sizes as docker --memory does, and refuses anything else", () => {
    assert.equal(parseBytes("256M"), 256 * 2 ** 20)
    assert.equal(parseBytes("1g"), 2 ** 30)
    assert.equal(parseBytes("512k"), 512 * 1024)
    assert.equal(parseBytes("300000000"), 300_000_000)
    for (const bad of ["", "M", "-1M", "1.5G", "256MB", "lots"]) assert.equal(parseBytes(bad), undefined, bad)
  })

  it("runs a process inside a cgroup with that limit, where the machine lets it (root, a memory controller)", async (t) => {
    let limit: Awaited<ReturnType<typeof makeMemoryLimit>>
    try {
      limit = await makeMemoryLimit(64 * 2 ** 20, `ostad-bench-test-${process.pid}`)
    } catch (error) {
      t.skip(String(error))
      return
    }
    try {
      const { command, args } = limit.wrap("cat", ["/proc/self/cgroup"])
      const groups = execFileSync(command, args, { encoding: "utf8" })
      assert.match(groups, new RegExp(`ostad-bench-test-${process.pid}`))
    } finally {
      await limit.remove()
    }
  })
})
