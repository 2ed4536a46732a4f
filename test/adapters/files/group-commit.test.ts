import assert from "node:assert/strict"
import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Effect, Option } from "effect"
import { syncDirectory, writeJsonAtomically } from "../../../src/adapters/files/atomic-write.ts"
import { draftJournalPath } from "../../../src/adapters/files/file-draft-store.ts"
import { newRegistration } from "../../../src/domain/registration-draft.ts"
import type { UserId } from "../../../src/domain/student.ts"
import { openFileStorage, usersDirectory } from "../../support/file-storage.ts"

describe("group commit of directory fsyncs", () => {
  it("lets many writes at once share fsyncs, and each resolves with its file in place", async () => {
    const dir = await usersDirectory()
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => writeJsonAtomically(join(dir, `f_${i}.json`), { i })),
    )
    const names = (await readdir(dir)).filter((name) => name.endsWith(".json"))
    assert.equal(names.length, 200)
    assert.deepEqual(JSON.parse(await readFile(join(dir, "f_123.json"), "utf8")), { i: 123 })
  })

  it("fails every caller waiting on a directory that cannot be synced, and syncs it again once it can", async () => {
    const missing = join(await usersDirectory(), "gone")
    const waiting = Array.from({ length: 5 }, () => syncDirectory(missing))
    for (const result of await Promise.allSettled(waiting)) assert.equal(result.status, "rejected")
    const dir = await usersDirectory()
    await Promise.all([syncDirectory(dir), syncDirectory(dir), syncDirectory(dir)])
  })
})

describe("drafts in memory beside their journal", () => {
  it("answers from memory what it wrote, and sees a removal and a rewrite", async () => {
    const dir = await usersDirectory()
    const storage = await openFileStorage(dir)
    const id = 42 as UserId
    const conversation = { draft: { ...newRegistration, revision: 3 } }
    assert.ok(
      Option.isNone(await storage.run(Effect.map(storage.drafts.get(id), (state) => state.conversation))),
    )
    await storage.run(storage.drafts.put(id, conversation))
    const onDisk = JSON.parse(await readFile(draftJournalPath(dir), "utf8"))
    assert.equal(onDisk.conversation.draft.revision, 3, "written durably, not only remembered")
    assert.deepEqual(
      await storage.run(Effect.map(storage.drafts.get(id), (state) => state.conversation)),
      Option.some(conversation),
    )
    await storage.run(storage.drafts.remove(id))
    assert.ok(
      Option.isNone(await storage.run(Effect.map(storage.drafts.get(id), (state) => state.conversation))),
    )
    const later = { draft: { ...newRegistration, revision: 9 } }
    await storage.run(storage.drafts.put(id, later))
    assert.deepEqual(
      await storage.run(Effect.map(storage.drafts.get(id), (state) => state.conversation)),
      Option.some(later),
    )
    await storage.close()
    const reopened = await openFileStorage(dir)
    assert.deepEqual(
      await reopened.run(Effect.map(reopened.drafts.get(id), (state) => state.conversation)),
      Option.some(later),
      "and after a restart",
    )
    await reopened.close()
  })
})
