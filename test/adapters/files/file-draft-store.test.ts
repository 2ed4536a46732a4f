import assert from "node:assert/strict"
import { appendFile, readdir, readFile, stat, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Effect, Layer, Logger, Option } from "effect"
import { putRecord, removedRecord } from "../../../src/adapters/files/draft-journal.ts"
import {
  DRAFTS_FOLDER,
  draftJournalPath,
  makeFileDraftStore,
} from "../../../src/adapters/files/file-draft-store.ts"
import { UsersDirectoryLive } from "../../../src/adapters/files/users-directory.ts"
import type { Conversation } from "../../../src/application/ports/draft-store.ts"
import { newRegistration } from "../../../src/domain/registration-draft.ts"
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
const at = (revision: number): Conversation => ({ draft: { ...halfway.draft, revision } })

type Store = Effect.Effect.Success<ReturnType<typeof makeFileDraftStore>>

/** The draft store alone over `dir` (opened as the bot opens it), with what it logged. */
const withDrafts = async <A>(
  dir: string,
  use: (drafts: Store) => Effect.Effect<A, unknown>,
  maxAgeDays = 7,
) => {
  const logs: Array<string> = []
  const logger = Logger.make(
    ({ message }) => void logs.push((message as ReadonlyArray<unknown>).map(String).join(" ")),
  )
  const result = await Effect.runPromise(
    Effect.scoped(Effect.flatMap(makeFileDraftStore({ maxAgeDays }), use)).pipe(
      Effect.provide(
        Layer.merge(
          UsersDirectoryLive(dir, { subdirectories: [DRAFTS_FOLDER] }),
          Logger.replace(Logger.defaultLogger, logger),
        ),
      ),
    ),
  )
  return { result, logs }
}

const journalLines = async (dir: string) =>
  (await readFile(draftJournalPath(dir), "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line))

const revisionOf = (found: Option.Option<Conversation>) => Option.getOrThrow(found).draft.revision

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
