import assert from "node:assert/strict"
import { readdir, readFile, stat, utimes, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Option } from "effect"
import { draftPath } from "../../../src/adapters/storage/file-draft-store.ts"
import type { Conversation } from "../../../src/application/ports/draft-store.ts"
import { newRegistration } from "../../../src/domain/registration.ts"
import { UserId } from "../../../src/domain/student.ts"
import { openFileStorage, usersDirectory } from "../../support/file-storage.ts"
import { profile } from "../../support/students.ts"

const halfway: Conversation = {
  draft: {
    ...newRegistration,
    step: "grade",
    revision: 2,
    answers: { firstName: profile.firstName, lastName: profile.lastName },
  },
  prompt: 17,
}

describe("file draft store", () => {
  it("keeps a conversation across a restart, durable and private", async () => {
    const dir = await usersDirectory()
    let storage = await openFileStorage(dir)
    await storage.run(storage.drafts.put(UserId.make(5), halfway))
    await storage.close()
    storage = await openFileStorage(dir)
    assert.deepEqual(await storage.run(storage.drafts.get(UserId.make(5))), Option.some(halfway))
    assert.equal((await stat(draftPath(dir, 5))).mode & 0o777, 0o600)
    assert.equal((await stat(join(dir, "drafts"))).mode & 0o777, 0o700)
    const file = JSON.parse(await readFile(draftPath(dir, 5), "utf8"))
    assert.equal(file.user_id, 5)
    assert.equal(file.conversation.draft.step, "grade")
    await storage.run(storage.drafts.remove(UserId.make(5)))
    await storage.run(storage.drafts.remove(UserId.make(5)))
    assert.ok(Option.isNone(await storage.run(storage.drafts.get(UserId.make(5)))))
    await storage.close()
  })

  it("sets a damaged draft aside and lets the student start over", async () => {
    const dir = await usersDirectory()
    const storage = await openFileStorage(dir)
    await writeFile(draftPath(dir, 6), '{"user_id": 6, "conversation": {"draft": {"step": "nowhere"}}}')
    assert.ok(Option.isNone(await storage.run(storage.drafts.get(UserId.make(6)))))
    const names = await readdir(join(dir, "drafts"))
    assert.equal(names.length, 1)
    assert.match(String(names[0]), /^draft_6\.json\.[A-Z0-9]{8}\.corrupt$/)
    await storage.close()
  })

  it("removes drafts untouched for DRAFT_MAX_AGE_DAYS in the periodic cleanup", async () => {
    const dir = await usersDirectory()
    const storage = await openFileStorage(dir, { draftMaxAgeDays: 7 })
    await storage.run(storage.drafts.put(UserId.make(1), halfway))
    await storage.run(storage.drafts.put(UserId.make(2), halfway))
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000)
    await utimes(draftPath(dir, 1), eightDaysAgo, eightDaysAgo)
    await writeFile(join(dir, "drafts", "notes.txt"), "not a draft")
    await storage.run(storage.housekeeping.runAll)
    assert.deepEqual((await readdir(join(dir, "drafts"))).sort(), ["draft_2.json", "notes.txt"])
    assert.deepEqual(await storage.run(storage.housekeeping.taskNames), [
      "student index snapshot",
      "stale drafts",
    ])
    await storage.close()
  })
})
