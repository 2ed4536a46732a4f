import assert from "node:assert/strict"
import { readdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Effect, Option } from "effect"
import { putRecord, removedRecord } from "../../../src/adapters/files/draft-journal.ts"
import { DRAFTS_FOLDER, draftJournalPath } from "../../../src/adapters/files/file-draft-store.ts"
import { UserId } from "../../../src/domain/student.ts"
import { at, halfway, journalLines, revisionOf, type Store, withDrafts } from "../../support/draft-store.ts"
import { openFileStorage, usersDirectory } from "../../support/file-storage.ts"

describe("file draft store: cleanup, handled marks, migration, group commit", () => {
  it("removes drafts untouched for DRAFT_MAX_AGE_DAYS in the periodic cleanup, compacting the journal", async () => {
    const dir = await usersDirectory()
    await withDrafts(dir, () => Effect.void)
    const eightDaysAgo = Date.now() - 8 * 24 * 60 * 60 * 1000
    await writeFile(
      draftJournalPath(dir),
      [
        putRecord(1, { conversation: at(1), at: eightDaysAgo }),
        putRecord(2, { conversation: at(2), at: eightDaysAgo }),
        removedRecord(2, eightDaysAgo),
        putRecord(3, { conversation: at(3), at: eightDaysAgo }),
      ].join(""),
    )
    const storage = await openFileStorage(dir, { draftMaxAgeDays: 7 })
    await storage.run(storage.drafts.put(UserId.make(3), at(4)))
    await storage.run(storage.housekeeping.runAll)
    assert.ok(
      Option.isNone(
        await storage.run(Effect.map(storage.drafts.get(UserId.make(1)), (state) => state.conversation)),
      ),
    )
    assert.equal(
      revisionOf(
        await storage.run(Effect.map(storage.drafts.get(UserId.make(3)), (state) => state.conversation)),
      ),
      4,
    )
    assert.deepEqual(
      (await journalLines(dir)).map((record) => [record.id, record.conversation.draft.revision]),
      [[3, 4]],
    )
    assert.deepEqual(await storage.run(storage.housekeeping.taskNames), [
      "student index snapshot",
      "stale drafts",
    ])
    await storage.close()
    await withDrafts(dir, (drafts) =>
      Effect.gen(function* () {
        assert.ok(
          Option.isNone(yield* Effect.map(drafts.store.get(UserId.make(1)), (state) => state.conversation)),
        )
        assert.equal(
          revisionOf(yield* Effect.map(drafts.store.get(UserId.make(3)), (state) => state.conversation)),
          4,
        )
      }),
    )
  })

  it("keeps handled marks across a restart and a cleanup while they are trusted, and forgets older ones", async () => {
    const dir = await usersDirectory()
    await withDrafts(dir, () => Effect.void)
    const day = 24 * 60 * 60 * 1000
    const now = Date.now()
    await writeFile(
      draftJournalPath(dir),
      [
        // 1: finished five days ago (trusted); 2: finished seven days ago; 3: live, put for update 30
        putRecord(1, { conversation: at(1), at: now - 5 * day }, 10),
        removedRecord(1, now - 5 * day, 11),
        putRecord(2, { conversation: at(2), at: now - 7 * day }, 20),
        removedRecord(2, now - 7 * day, 21),
        putRecord(3, { conversation: at(3), at: now - day }, 30),
        // lines of the earlier version, without marks, still replay
        putRecord(4, { conversation: at(4), at: now - day }),
      ].join(""),
    )
    const markOf = (drafts: Store, id: number) =>
      Effect.map(drafts.store.get(UserId.make(id)), (state) =>
        Option.map(state.handled, (mark) => mark.update),
      )
    await withDrafts(dir, (drafts) =>
      Effect.gen(function* () {
        assert.deepEqual(yield* markOf(drafts, 1), Option.some(11))
        assert.deepEqual(yield* markOf(drafts, 3), Option.some(30))
        assert.deepEqual(yield* markOf(drafts, 4), Option.none())
        yield* drafts.removeStale
      }),
    )
    const lines = await journalLines(dir)
    assert.deepEqual(
      lines.map((record) => [record.id, record.handled, record.removed === true]),
      [
        [3, 30, false],
        [4, undefined, false],
        [1, 11, true],
      ],
      "the snapshot keeps live drafts with their marks and the trusted mark of a finished one",
    )
    await withDrafts(dir, (drafts) =>
      Effect.gen(function* () {
        assert.deepEqual(yield* markOf(drafts, 1), Option.some(11))
        assert.deepEqual(yield* markOf(drafts, 2), Option.none(), "a mark older than six days is forgotten")
        assert.ok(
          Option.isNone(yield* Effect.map(drafts.store.get(UserId.make(1)), (state) => state.conversation)),
        )
      }),
    )
  })

  it("moves the previous version's draft files into the journal once, and sets a damaged one aside", async () => {
    const dir = await usersDirectory()
    await withDrafts(dir, () => Effect.void)
    const folder = join(dir, DRAFTS_FOLDER)
    const old = (id: number, conversation: unknown) =>
      JSON.stringify({ user_id: id, updated_at: "2026-11-26T10:00:00.000Z", conversation }, null, 2)
    await writeFile(join(folder, "draft_5.json"), old(5, halfway))
    await writeFile(
      join(folder, "draft_6.json"),
      '{"user_id": 6, "conversation": {"draft": {"step": "nowhere"}}}',
    )
    await writeFile(join(folder, "draft_7.json"), old(8, halfway))
    await writeFile(join(folder, "notes.txt"), "not a draft")
    const { logs } = await withDrafts(dir, (drafts) =>
      Effect.gen(function* () {
        assert.deepEqual(
          yield* Effect.map(drafts.store.get(UserId.make(5)), (state) => state.conversation),
          Option.some(halfway),
        )
        assert.ok(
          Option.isNone(yield* Effect.map(drafts.store.get(UserId.make(6)), (state) => state.conversation)),
        )
        assert.ok(
          Option.isNone(yield* Effect.map(drafts.store.get(UserId.make(7)), (state) => state.conversation)),
        )
      }),
    )
    const names = (await readdir(folder)).sort()
    assert.equal(names.length, 4, names.join(" "))
    assert.match(String(names[0]), /^draft_6\.json\.[A-Z0-9]{8}\.corrupt$/)
    assert.match(String(names[1]), /^draft_7\.json\.[A-Z0-9]{8}\.corrupt$/, "a file of another student")
    assert.deepEqual(names.slice(2), ["drafts.log", "notes.txt"])
    assert.equal(logs.filter((line) => /draft damaged \[[A-Z0-9]{8}\]/.test(line)).length, 2)
    const [line] = await journalLines(dir)
    assert.deepEqual([line.id, line.at], [5, "2026-11-26T10:00:00.000Z"], "kept when it was last touched")
    await withDrafts(dir, (drafts) =>
      Effect.map(
        Effect.map(drafts.store.get(UserId.make(5)), (state) => state.conversation),
        (found) => assert.deepEqual(found, Option.some(halfway)),
      ),
    )
  })

  it("lets many students' puts at once share few fdatasyncs, each durable when it resolves", async () => {
    const dir = await usersDirectory()
    const students = Array.from({ length: 200 }, (_, i) => UserId.make(i + 1))
    const { result: stats } = await withDrafts(dir, (drafts) =>
      Effect.gen(function* () {
        yield* Effect.forEach(students, (id) => drafts.store.put(id, at(id)), {
          concurrency: "unbounded",
          discard: true,
        })
        return drafts.stats()
      }),
    )
    assert.equal(stats.records, 200)
    assert.ok(stats.syncs <= 20, `200 puts took ${stats.syncs} fdatasyncs`)
    assert.equal((await journalLines(dir)).length, 200)
  })

  it("orders one student's put, remove and put as asked, in memory and on disk", async () => {
    const dir = await usersDirectory()
    const id = UserId.make(4)
    await withDrafts(dir, (drafts) =>
      Effect.gen(function* () {
        yield* Effect.all(
          [drafts.store.put(id, at(1)), drafts.store.remove(id), drafts.store.put(id, at(2))],
          {
            concurrency: "unbounded",
          },
        )
        assert.equal(revisionOf(yield* Effect.map(drafts.store.get(id), (state) => state.conversation)), 2)
        yield* Effect.all([drafts.store.put(id, at(3)), drafts.store.remove(id)], {
          concurrency: "unbounded",
        })
        assert.ok(Option.isNone(yield* Effect.map(drafts.store.get(id), (state) => state.conversation)))
        yield* drafts.store.put(id, at(5))
      }),
    )
    assert.deepEqual(
      (await journalLines(dir)).map((record) => record.conversation?.draft.revision ?? "removed"),
      [1, "removed", 2, 3, "removed", 5],
    )
    await withDrafts(dir, (drafts) =>
      Effect.map(
        Effect.map(drafts.store.get(id), (state) => state.conversation),
        (found) => assert.equal(revisionOf(found), 5),
      ),
    )
  })
})
