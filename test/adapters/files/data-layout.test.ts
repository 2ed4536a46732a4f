import assert from "node:assert/strict"
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Option } from "effect"
import { resolveDataLayout } from "../../../src/adapters/files/data-layout.ts"
import { temporaryDirectory } from "../../support/bot-process.ts"

const unset = { recordsDir: Option.none(), logDir: Option.none() }

describe("data layout", () => {
  it("puts records and logs in USERS_DIR unless RECORDS_DIR or LOG_DIR is set", async () => {
    const cwd = await temporaryDirectory("layout-")
    assert.deepEqual(resolveDataLayout({ usersDir: "users", ...unset }, cwd), {
      usersDir: "users",
      recordsDir: join("users", "records"),
      logDir: join("users", "logs"),
      warnings: [],
    })
    const given = resolveDataLayout(
      { usersDir: "users", recordsDir: Option.some("/srv/records"), logDir: Option.some("/var/log/bot") },
      cwd,
    )
    assert.equal(given.recordsDir, "/srv/records")
    assert.equal(given.logDir, "/var/log/bot")
  })

  it("ignores an old ./records without journals, and warns when both places hold records", async () => {
    const cwd = await temporaryDirectory("layout-")
    await mkdir(join(cwd, "records"))
    assert.deepEqual(resolveDataLayout({ usersDir: "users", ...unset }, cwd).warnings, [])

    await writeFile(join(cwd, "records", "orders.jsonl"), "{}\n")
    await mkdir(join(cwd, "users", "records"), { recursive: true })
    const both = resolveDataLayout({ usersDir: "users", ...unset }, cwd)
    assert.equal(both.recordsDir, join("users", "records"))
    assert.match(both.warnings[0] ?? "", /holds records but is not read: .*set RECORDS_DIR=/)
  })
})
