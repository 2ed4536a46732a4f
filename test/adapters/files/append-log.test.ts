import assert from "node:assert/strict"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import { openAppendLog } from "../../../src/adapters/files/append-log.ts"
import { fillUp, mountTmpfs, unmount } from "../../support/tmpfs.ts"

describe("the append log on a disk that fills up (tmpfs)", () => {
  const mounts: Array<string> = []
  after(() => {
    for (const path of mounts) unmount(path)
  })

  it("acknowledges a line only when all of it is written: a write that fits in part is refused, and the file keeps every acknowledged line whole", async (t) => {
    const volume = await mountTmpfs(1)
    if ("skip" in volume) return t.skip(volume.skip)
    mounts.push(volume.path)
    const path = join(volume.path, "log")
    const { log } = await openAppendLog(path)
    await log.append("first\n")
    fillUp(join(volume.path, "filler"))
    // lines of 1 KB: the file's last page takes three whole ones and part of the fourth
    const acknowledged: Array<number> = []
    let refused: unknown
    for (let line = 0; line < 16 && refused === undefined; line++) {
      try {
        await log.append(`${String(line).padStart(4, "0")} ${"x".repeat(1018)}\n`)
        acknowledged.push(line)
      } catch (error) {
        refused = error
      }
    }
    assert.equal((refused as NodeJS.ErrnoException | undefined)?.code, "ENOSPC")
    await log.close()
    const reopened = await openAppendLog(path)
    await reopened.log.close()
    const { text } = reopened
    const lines = text.split("\n").filter((line) => line !== "")
    assert.equal(lines[0], "first")
    for (const line of acknowledged)
      assert.ok(
        lines.some((written) => written.startsWith(String(line).padStart(4, "0")) && written.length === 1023),
        `acknowledged line ${line} is whole in the file`,
      )
    t.diagnostic(`${acknowledged.length} lines acknowledged before the disk refused one`)
  })
})
