import assert from "node:assert/strict"
import { appendFile, mkdtemp, readFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Effect, Layer } from "effect"
import { Housekeeping, ManualHousekeeping } from "../../../src/adapters/common/housekeeping.ts"
import { pruneJournal } from "../../../src/adapters/common/journal-pruning.ts"
import {
  FileUpdateJournal,
  JOURNAL_FILE,
  JOURNAL_FOLDER,
  makeFileUpdateJournal,
} from "../../../src/adapters/files/file-update-journal.ts"
import { UsersDirectoryLive } from "../../../src/adapters/files/users-directory.ts"
import { makeMemoryUpdateJournal } from "../../../src/adapters/memory/memory-update-journal.ts"
import { UpdateJournal } from "../../../src/application/ports/update-journal.ts"

const directory = () => mkdtemp(join(tmpdir(), "journal-"))

const withJournal = <A>(
  dir: string,
  use: (journal: UpdateJournal["Type"]) => Effect.Effect<A, unknown>,
  now?: () => number,
) => Effect.runPromise(Effect.scoped(Effect.flatMap(makeFileUpdateJournal(dir, now), use)))

describe("file update journal", () => {
  it("remembers recorded updates across a reopen, and many records at once go out together", async () => {
    const dir = await directory()
    await withJournal(dir, (journal) =>
      Effect.gen(function* () {
        assert.equal(yield* journal.has(7), false)
        yield* Effect.forEach(
          Array.from({ length: 300 }, (_, i) => i + 1),
          journal.record,
          { concurrency: "unbounded" },
        )
        assert.equal(yield* journal.has(7), true)
      }),
    )
    const lines = (await readFile(join(dir, JOURNAL_FILE), "utf8")).trim().split("\n")
    assert.equal(lines.length, 300)
    await withJournal(dir, (journal) =>
      Effect.gen(function* () {
        assert.equal(yield* journal.has(300), true)
        assert.equal(yield* journal.has(301), false)
      }),
    )
  })

  it("skips a line torn by a crash and goes on appending", async () => {
    const dir = await directory()
    await withJournal(dir, (journal) => journal.record(1))
    await appendFile(join(dir, JOURNAL_FILE), "2 17")
    await withJournal(dir, (journal) =>
      Effect.gen(function* () {
        assert.equal(yield* journal.has(1), true)
        assert.equal(yield* journal.has(2), false)
        yield* journal.record(3)
      }),
    )
    await withJournal(dir, (journal) => Effect.map(journal.has(3), (has) => assert.equal(has, true)))
  })

  it("prunes entries older than the cutoff and keeps the rest, on disk too", async () => {
    const dir = await directory()
    let clock = 1_000
    await withJournal(
      dir,
      (journal) =>
        Effect.gen(function* () {
          yield* journal.record(1)
          clock = 5_000
          yield* journal.record(2)
          assert.equal(yield* journal.prune(new Date(2_000)), 1)
          assert.equal(yield* journal.prune(new Date(2_000)), 0)
          yield* journal.record(3)
          assert.equal(yield* journal.has(1), false)
        }),
      () => clock,
    )
    assert.equal(await readFile(join(dir, JOURNAL_FILE), "utf8"), "2 5000\n3 5000\n")
  })

  it("the scheduled prune uses the port and keeps recent entries", async () => {
    const memory = makeMemoryUpdateJournal(() => 0)
    await Effect.runPromise(memory.service.record(1))
    const recent = makeMemoryUpdateJournal()
    await Effect.runPromise(recent.service.record(2))
    await Effect.runPromise(pruneJournal(memory.service))
    await Effect.runPromise(pruneJournal(recent.service))
    assert.equal(memory.entries.size, 0)
    assert.equal(recent.entries.size, 1)
  })
})

describe("file update journal as a layer", () => {
  it("lives in USERS_DIR/.journal and prunes in housekeeping", async () => {
    const dir = await directory()
    const names = await Effect.runPromise(
      Effect.gen(function* () {
        const journal = yield* UpdateJournal
        yield* journal.record(41)
        const housekeeping = yield* Housekeeping
        yield* housekeeping.runAll
        assert.equal(yield* journal.has(41), true, "a fresh entry survives the prune")
        return yield* housekeeping.taskNames
      }).pipe(
        Effect.provide(
          FileUpdateJournal.pipe(
            Layer.provideMerge(Layer.merge(UsersDirectoryLive(dir), ManualHousekeeping)),
          ),
        ),
      ),
    )
    assert.ok(names.includes("update journal"))
    assert.match(await readFile(join(dir, JOURNAL_FOLDER, JOURNAL_FILE), "utf8"), /^41 \d+\n$/)
  })
})
