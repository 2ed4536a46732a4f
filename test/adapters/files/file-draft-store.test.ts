import assert from "node:assert/strict"
import { appendFile, readFile, stat, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Effect, Option } from "effect"
import { putRecord } from "../../../src/adapters/files/draft-journal.ts"
import { draftJournalPath } from "../../../src/adapters/files/file-draft-store.ts"
import { UserId } from "../../../src/domain/student.ts"
import { at, halfway, journalLines, revisionOf, withDrafts } from "../../support/draft-store.ts"
import { openFileStorage, usersDirectory } from "../../support/file-storage.ts"

describe("file draft store", () => {
  it("keeps a conversation across a restart, durable and private", async () => {
    const dir = await usersDirectory()
    let storage = await openFileStorage(dir)
    await storage.run(storage.drafts.put(UserId.make(5), halfway))
    await storage.close()
    storage = await openFileStorage(dir)
    assert.deepEqual(
      await storage.run(Effect.map(storage.drafts.get(UserId.make(5)), (state) => state.conversation)),
      Option.some(halfway),
    )
    assert.equal((await stat(draftJournalPath(dir))).mode & 0o777, 0o600)
    assert.equal((await stat(join(dir, "drafts"))).mode & 0o777, 0o700)
    const [line] = await journalLines(dir)
    assert.equal(line.id, 5)
    assert.ok(!Number.isNaN(Date.parse(line.at)))
    assert.equal(line.conversation.draft.step, "grade")
    await storage.run(storage.drafts.remove(UserId.make(5)))
    await storage.run(storage.drafts.remove(UserId.make(5)))
    assert.ok(
      Option.isNone(
        await storage.run(Effect.map(storage.drafts.get(UserId.make(5)), (state) => state.conversation)),
      ),
    )
    assert.deepEqual(
      (await journalLines(dir)).map((record) => record.removed ?? false),
      [false, true],
      "a removal is one line, and removing nothing writes nothing",
    )
    await storage.close()
    storage = await openFileStorage(dir)
    assert.ok(
      Option.isNone(
        await storage.run(Effect.map(storage.drafts.get(UserId.make(5)), (state) => state.conversation)),
      ),
    )
    await storage.close()
  })

  it("ignores a line torn by a crash, cuts it off, and goes on appending", async () => {
    const dir = await usersDirectory()
    await withDrafts(dir, (drafts) => drafts.store.put(UserId.make(1), at(1)))
    await appendFile(draftJournalPath(dir), '{"id":2,"at":"2026-01-01T00:00:00.000Z","conversation":{"dr')
    const { logs } = await withDrafts(dir, (drafts) =>
      Effect.gen(function* () {
        assert.equal(
          revisionOf(yield* Effect.map(drafts.store.get(UserId.make(1)), (state) => state.conversation)),
          1,
        )
        assert.ok(
          Option.isNone(yield* Effect.map(drafts.store.get(UserId.make(2)), (state) => state.conversation)),
        )
        yield* drafts.store.put(UserId.make(3), at(3))
      }),
    )
    assert.deepEqual(
      logs.filter((line) => /damaged/.test(line)),
      [],
      "a torn line was never acknowledged",
    )
    assert.deepEqual(
      (await journalLines(dir)).map((record) => record.id),
      [1, 3],
    )
    await withDrafts(dir, (drafts) =>
      Effect.map(
        Effect.map(drafts.store.get(UserId.make(3)), (state) => state.conversation),
        (found) => assert.equal(revisionOf(found), 3),
      ),
    )
  })

  it("skips a damaged line with an error ID, keeps it aside, and that student starts over", async () => {
    const dir = await usersDirectory()
    await withDrafts(dir, () => Effect.void)
    const when = Date.now()
    await writeFile(
      draftJournalPath(dir),
      [
        putRecord(1, { conversation: at(1), at: when }),
        putRecord(2, { conversation: at(2), at: when }),
        '{"id":2,"at":"2026-01-01T00:00:00.000Z","conversation":{"draft":{"step":"nowhere"}}}\n',
        "not json at all\n",
        putRecord(3, { conversation: at(3), at: when }),
      ].join(""),
    )
    const { logs } = await withDrafts(dir, (drafts) =>
      Effect.gen(function* () {
        assert.equal(
          revisionOf(yield* Effect.map(drafts.store.get(UserId.make(1)), (state) => state.conversation)),
          1,
        )
        assert.ok(
          Option.isNone(yield* Effect.map(drafts.store.get(UserId.make(2)), (state) => state.conversation)),
          "not resumed from an older step",
        )
        assert.equal(
          revisionOf(yield* Effect.map(drafts.store.get(UserId.make(3)), (state) => state.conversation)),
          3,
        )
      }),
    )
    const damaged = logs.filter((line) => /draft journal line \d damaged \[[A-Z0-9]{8}\]/.test(line))
    assert.equal(damaged.length, 2, logs.join("\n"))
    const errorId = /\[([A-Z0-9]{8})\]/.exec(String(damaged[0]))?.[1]
    const aside = await readFile(`${draftJournalPath(dir)}.${errorId}.corrupt`, "utf8")
    assert.match(aside, /nowhere/)
    // Compacted at start: the next start neither reports them again nor loses the others.
    const again = await withDrafts(dir, (drafts) =>
      Effect.map(
        Effect.map(drafts.store.get(UserId.make(3)), (state) => state.conversation),
        (found) => assert.equal(revisionOf(found), 3),
      ),
    )
    assert.deepEqual(
      again.logs.filter((line) => /damaged/.test(line)),
      [],
    )
    assert.deepEqual((await journalLines(dir)).map((record) => record.id).sort(), [1, 3])
  })

  it("compacts a grown journal to exactly the live drafts, which a restart finds again", async () => {
    const dir = await usersDirectory()
    const students = Array.from({ length: 50 }, (_, i) => UserId.make(i + 1))
    const puts = 130 // ~230 bytes a line: past the 1 MB below which the journal is never compacted
    const { result: stats } = await withDrafts(dir, (drafts) =>
      Effect.gen(function* () {
        yield* Effect.forEach(
          students,
          (id) =>
            Effect.forEach(
              Array.from({ length: puts }, (_, n) => n),
              (n) => drafts.store.put(id, at(n)),
            ),
          { concurrency: "unbounded", discard: true },
        )
        yield* drafts.store.remove(UserId.make(49))
        yield* drafts.store.remove(UserId.make(50))
        return drafts.stats()
      }),
    )
    assert.ok(stats.records < students.length * puts, `compacted on the way (${stats.records} records)`)
    assert.equal(stats.live, 48)
    assert.equal((await journalLines(dir)).length, stats.records, "the file holds what the store counted")
    assert.ok((await stat(draftJournalPath(dir))).size < 2 * 1024 * 1024)
    await withDrafts(dir, (drafts) =>
      Effect.gen(function* () {
        for (const id of students.slice(0, 48))
          assert.equal(
            revisionOf(yield* Effect.map(drafts.store.get(id), (state) => state.conversation)),
            puts - 1,
          )
        assert.ok(
          Option.isNone(yield* Effect.map(drafts.store.get(UserId.make(49)), (state) => state.conversation)),
        )
        assert.ok(
          Option.isNone(yield* Effect.map(drafts.store.get(UserId.make(50)), (state) => state.conversation)),
        )
      }),
    )
  })
})
