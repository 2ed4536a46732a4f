import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import { Context, Effect, Layer, Option } from "effect"
import { attempt } from "../../application/ports/storage-error.ts"
import { ProcessInbox, UpdateInbox } from "../../application/ports/update-inbox.ts"
import { UpdateJournal } from "../../application/ports/update-journal.ts"
import { Housekeeping } from "../common/housekeeping.ts"
import { pruneJournal } from "../common/journal-pruning.ts"
import { openAppendLog } from "./append-log.ts"
import { makeFileUpdateInbox } from "./file-update-inbox.ts"
import { UsersDirectory } from "./users-directory.ts"

export const JOURNAL_FILE = "handled-updates.log"

/** Lines "<update_id> <epoch ms>\n" (complete ones: openAppendLog drops a torn last line). */
const parse = (text: string): Map<number, number> => {
  const entries = new Map<number, number>()
  for (const line of text.split("\n")) {
    const match = /^(\d+) (\d+)$/.exec(line)
    if (match !== null) entries.set(Number(match[1]), Number(match[2]))
  }
  return entries
}

/**
 * The journal as an append-only file in `dir` (next to the students' files). Appends are group-committed:
 * records that arrive while a write is under way go out together in the next write + fdatasync, so many
 * chats at once cost few syncs. Pruning rewrites the file atomically.
 */
export const makeFileUpdateJournal = (dir: string, now: () => number = Date.now) =>
  Effect.gen(function* () {
    const path = join(dir, JOURNAL_FILE)
    yield* attempt("open", () => mkdir(dir, { recursive: true }))
    const { text, log } = yield* attempt("open", () => openAppendLog(path))
    const entries = parse(text)
    yield* Effect.addFinalizer(() => Effect.promise(log.close))

    return UpdateJournal.of({
      has: (id) => Effect.sync(() => entries.has(id)),
      record: (id) =>
        Effect.suspend(() => {
          const at = now()
          return attempt("record", () => log.append(`${id} ${at}\n`, () => entries.set(id, at))).pipe(
            // handled all the same: not again while this process runs (after a restart it may be, as the
            // record never reached the disk — a full disk, say)
            Effect.tapError(() => Effect.sync(() => entries.set(id, at))),
          )
        }),
      prune: (cutoff) =>
        attempt("prune", () =>
          log.exclusive(async (file) => {
            const kept = [...entries].filter(([, at]) => at >= cutoff.getTime())
            const forgotten = entries.size - kept.length
            if (forgotten === 0) return 0
            await file.rewrite(kept.map(([id, at]) => `${id} ${at}\n`).join(""))
            for (const [id, at] of entries) if (at < cutoff.getTime()) entries.delete(id)
            return forgotten
          }),
        ),
    })
  })

export const JOURNAL_FOLDER = ".journal"

/**
 * The journal in USERS_DIR/.journal, and beside it the inbox of updates received (UpdateInbox): both
 * pruned by age in one housekeeping task (every CLEANUP_INTERVAL_SECONDS), the inbox first.
 */
export const FileUpdateJournal = Layer.scopedContext(
  Effect.gen(function* () {
    const users = yield* UsersDirectory
    const dir = join(users.path, JOURNAL_FOLDER)
    const journal = yield* makeFileUpdateJournal(dir)
    const inbox = yield* makeFileUpdateInbox(dir).pipe(Effect.provideService(UpdateJournal, journal))
    yield* (yield* Housekeeping).register("update journal", pruneJournal(journal, inbox))
    return Context.make(UpdateJournal, journal).pipe(
      Context.add(UpdateInbox, inbox),
      Context.add(ProcessInbox, Option.some(inbox)),
    )
  }),
)
