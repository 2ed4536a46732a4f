import assert from "node:assert/strict"
import { appendFile, mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Duration, Effect, Layer, Logger } from "effect"
import { Housekeeping, ManualHousekeeping } from "../../../src/adapters/common/housekeeping.ts"
import { JOURNAL_RETENTION } from "../../../src/adapters/common/journal-pruning.ts"
import { INBOX_FILE, makeFileUpdateInbox } from "../../../src/adapters/files/file-update-inbox.ts"
import { FileUpdateJournal, JOURNAL_FOLDER } from "../../../src/adapters/files/file-update-journal.ts"
import { UsersDirectoryLive } from "../../../src/adapters/files/users-directory.ts"
import { makeMemoryUpdateJournal } from "../../../src/adapters/memory/memory-update-journal.ts"
import { UpdateInbox } from "../../../src/application/ports/update-inbox.ts"
import { UpdateJournal } from "../../../src/application/ports/update-journal.ts"

const directory = () => mkdtemp(join(tmpdir(), "inbox-"))
const update = (id: number) => ({ id, raw: { update_id: id, message: { text: `m${id}` } } })

/** Opens the inbox in `dir` over `journal`; answers what `use` answers and the messages logged. */
const withInbox = async <A>(
  dir: string,
  journal: UpdateJournal["Type"],
  use: (inbox: UpdateInbox["Type"]) => Effect.Effect<A, unknown>,
  now?: () => number,
) => {
  const logged: Array<string> = []
  const logger = Logger.make(({ message }) => void logged.push(String(message)))
  const result = await Effect.runPromise(
    Effect.scoped(Effect.flatMap(makeFileUpdateInbox(dir, now), use)).pipe(
      Effect.provideService(UpdateJournal, journal),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
    ),
  )
  return { result, logged }
}

describe("file update inbox", () => {
  it("stores each update once, in one line, and after a restart gives back those not handled, oldest first", async () => {
    const dir = await directory()
    const journal = makeMemoryUpdateJournal()
    await withInbox(dir, journal.service, (inbox) =>
      Effect.gen(function* () {
        assert.deepEqual(yield* inbox.store([update(3), update(1), update(2)]), [
          update(3),
          update(1),
          update(2),
        ])
        // stored already (Telegram sending it again, a webhook retry): not written twice
        assert.deepEqual(yield* inbox.store([update(1), update(4)]), [update(4)])
        // stores at the same time share writes; the same update stored twice at once is stored once
        const together = yield* Effect.all(
          [inbox.store([update(5)]), inbox.store([update(5), update(6)]), inbox.store([update(7)])],
          { concurrency: "unbounded" },
        )
        assert.equal(together.flat().length, 3)
        yield* journal.service.record(2)
      }),
    )
    const lines = (await readFile(join(dir, INBOX_FILE), "utf8")).trim().split("\n")
    assert.equal(lines.length, 7)
    const { result } = await withInbox(dir, journal.service, (inbox) => inbox.unhandled)
    assert.deepEqual(
      result.map((entry) => entry.id),
      [1, 3, 4, 5, 6, 7],
    )
    assert.deepEqual(result[0], update(1), "the update as received")
  })

  it("cuts a torn last line off, skips a damaged line with an error ID, and goes on storing", async () => {
    const dir = await directory()
    const journal = makeMemoryUpdateJournal()
    await withInbox(dir, journal.service, (inbox) => inbox.store([update(1)]))
    await appendFile(
      join(dir, INBOX_FILE),
      '2 100 {"update_id":2,"mess\nnot a line\n3 100 {"update_id":3}\n4 10',
    )
    const { result, logged } = await withInbox(dir, journal.service, (inbox) =>
      Effect.gen(function* () {
        const left = yield* inbox.unhandled
        assert.deepEqual(yield* inbox.store([update(4)]), [update(4)], "the torn one was never stored")
        return left
      }),
    )
    assert.deepEqual(
      result.map((entry) => entry.id),
      [1, 3],
    )
    assert.equal(
      logged.filter((line) => /damaged line skipped \[\w+\]/.test(line)).length,
      2,
      logged.join("\n"),
    )
    const reopened = await withInbox(dir, journal.service, (inbox) => inbox.unhandled)
    assert.deepEqual(
      reopened.result.map((entry) => entry.id),
      [1, 3, 4],
    )
  })

  it("prunes handled updates received before the cutoff, keeps the rest, on disk too", async () => {
    const dir = await directory()
    const journal = makeMemoryUpdateJournal()
    let clock = 1_000
    await withInbox(
      dir,
      journal.service,
      (inbox) =>
        Effect.gen(function* () {
          yield* inbox.store([update(1), update(2)])
          clock = 5_000
          yield* inbox.store([update(3)])
          yield* journal.service.record(1)
          yield* journal.service.record(3)
          // 2 is old but not handled, 3 handled but recent
          assert.equal(yield* inbox.prune(new Date(2_000)), 1)
          assert.equal(yield* inbox.prune(new Date(2_000)), 0)
          yield* inbox.store([update(4)])
        }),
      () => clock,
    )
    const ids = (await readFile(join(dir, INBOX_FILE), "utf8"))
      .trim()
      .split("\n")
      .map((line) => line.split(" ")[0])
    assert.deepEqual(ids, ["2", "3", "4"])
  })

  it("as a layer beside the journal: one housekeeping task prunes the inbox, then the journal, with one cutoff", async () => {
    const dir = await directory()
    const old = Date.now() - 1000 - 60 * 60 * 1000 * 49
    const folder = join(dir, JOURNAL_FOLDER)
    // handled long ago: both files are pruned together, so the inbox never keeps one the journal forgot
    await Effect.runPromise(
      Effect.gen(function* () {
        const inbox = yield* UpdateInbox
        const journal = yield* UpdateJournal
        yield* inbox.store([update(9)])
        yield* journal.record(9)
      }).pipe(
        Effect.provide(
          FileUpdateJournal.pipe(
            Layer.provideMerge(Layer.merge(UsersDirectoryLive(dir), ManualHousekeeping)),
          ),
        ),
      ),
    )
    // make both entries older than the retention
    const rewrite = async (name: string, edit: (text: string) => string) => {
      await writeFile(join(folder, name), edit(await readFile(join(folder, name), "utf8")))
    }
    await rewrite(INBOX_FILE, (text) => `${text.replace(/^9 \d+ /, `9 ${old} `)}10 ${old} {"update_id":10}\n`)
    await rewrite("handled-updates.log", (text) => text.replace(/^9 \d+/, `9 ${old}`))
    const left = await Effect.runPromise(
      Effect.gen(function* () {
        yield* (yield* Housekeeping).runAll
        return yield* (yield* UpdateInbox).unhandled
      }).pipe(
        Effect.provide(
          FileUpdateJournal.pipe(
            Layer.provideMerge(Layer.merge(UsersDirectoryLive(dir), ManualHousekeeping)),
          ),
        ),
      ),
    )
    assert.deepEqual(
      left.map((entry) => entry.id),
      [10],
      "the unhandled one is kept",
    )
    assert.equal(await readFile(join(folder, "handled-updates.log"), "utf8"), "")
    assert.match(await readFile(join(folder, INBOX_FILE), "utf8"), /^10 /)
    assert.ok(Duration.toMillis(JOURNAL_RETENTION) < Date.now() - old)
  })
})
