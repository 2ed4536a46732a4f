import assert from "node:assert/strict"
import { readdirSync } from "node:fs"
import { mkdir, readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, it } from "node:test"
import { openRotatingFile } from "../../../src/adapters/logging/rotating-file.ts"
import { temporaryDirectory } from "../../support/bot-process.ts"

describe("rotating log file", () => {
  it("never throws when the disk refuses, reports once, and resumes when it can write again", async () => {
    const dir = join(await temporaryDirectory("rotating-"), "later")
    const reports: Array<string> = []
    const write = process.stderr.write
    process.stderr.write = ((chunk: string) => reports.push(String(chunk)) > 0) as typeof process.stderr.write
    const file = openRotatingFile(join(dir, "bot.log"))
    try {
      file.write("lost 1")
      file.write("lost 2")
    } finally {
      process.stderr.write = write
    }
    assert.equal(reports.length, 1)
    assert.match(reports[0] ?? "", /ENOENT/)
    await mkdir(dir)
    file.write("kept")
    file.close()
    assert.equal(await readFile(join(dir, "bot.log"), "utf8"), "kept\n")
  })

  it("writes the lines of one turn together, after it, rotating between them as needed", async () => {
    const dir = await temporaryDirectory("rotating-")
    const path = join(dir, "performance.log")
    const file = openRotatingFile(path, { maxBytes: 12, keep: 1 }, { batched: true })
    for (const line of ["one", "two", "three", "four"]) file.write(line)
    assert.deepEqual(readdirSync(dir), [], "nothing written during the turn")
    await new Promise((done) => setImmediate(done))
    assert.equal(await readFile(`${path}.1`, "utf8"), "one\ntwo\n")
    assert.equal(await readFile(path, "utf8"), "three\nfour\n")
    file.close()
  })

  it("keeps no old file when told to keep none", async () => {
    const dir = await temporaryDirectory("rotating-")
    const file = openRotatingFile(join(dir, "performance.log"), { maxBytes: 10, keep: 0 })
    for (const line of ["first line", "second line", "third"]) file.write(line)
    file.close()
    assert.deepEqual(await readdir(dir), ["performance.log"])
    assert.equal(await readFile(join(dir, "performance.log"), "utf8"), "third\n")
  })
})
