import { type FileHandle, mkdir, open, readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect, Layer } from "effect"
import { StorageError } from "../../application/ports/student-repository.ts"
import { UpdateJournal } from "../../application/ports/update-journal.ts"
import { writeFileAtomically } from "./atomic-write.ts"
import { Housekeeping } from "./housekeeping.ts"
import { pruneJournal } from "./journal-pruning.ts"
import { UsersDirectory } from "./users-directory.ts"

export const JOURNAL_FILE = "handled-updates.log"

type Waiting = { readonly line: string; readonly done: (error?: unknown) => void }

const storageError = (operation: string) => (error: unknown) =>
  new StorageError({ operation, detail: error instanceof Error ? error.message : String(error) })

/** Lines "<update_id> <epoch ms>\n"; a torn last line (crash mid-write) is not an entry. */
const parse = (text: string): Map<number, number> => {
  const entries = new Map<number, number>()
  for (const line of text.slice(0, text.lastIndexOf("\n") + 1).split("\n")) {
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
    yield* Effect.tryPromise({ try: () => mkdir(dir, { recursive: true }), catch: storageError("open") })
    const text = yield* Effect.tryPromise({
      try: () => readFile(path, "utf8").catch(() => ""),
      catch: storageError("read"),
    })
    const entries = parse(text)
    let handle: FileHandle = yield* Effect.tryPromise({
      try: async () => {
        const file = await open(path, "a", 0o600)
        // cut a torn last line off, so that the next entry starts on a line of its own
        const whole = Buffer.byteLength(text.slice(0, text.lastIndexOf("\n") + 1))
        if (whole < Buffer.byteLength(text)) await file.truncate(whole)
        return file
      },
      catch: storageError("open"),
    })
    let waiting: Array<Waiting> = []
    let writing: Promise<void> | undefined

    const writeAll = async () => {
      while (waiting.length > 0) {
        const batch = waiting
        waiting = []
        try {
          await handle.write(batch.map((entry) => entry.line).join(""))
          await handle.datasync()
          for (const entry of batch) entry.done()
        } catch (error) {
          for (const entry of batch) entry.done(error)
        }
      }
    }
    /** Runs `task` when no write is under way, and keeps new writes waiting until it is done. */
    const exclusive = async <A>(task: () => Promise<A>): Promise<A> => {
      while (writing !== undefined) await writing
      let release = () => {}
      writing = new Promise((resolve) => {
        release = resolve
      })
      try {
        return await task()
      } finally {
        writing = undefined
        release()
        if (waiting.length > 0) void startWriting()
      }
    }
    const startWriting = () => (writing === undefined ? exclusive(writeAll) : Promise.resolve())

    yield* Effect.addFinalizer(() =>
      Effect.promise(() => exclusive(writeAll).then(() => handle.close().catch(() => undefined))),
    )

    return UpdateJournal.of({
      has: (id) => Effect.sync(() => entries.has(id)),
      record: (id) =>
        Effect.tryPromise({
          try: () =>
            new Promise<void>((resolve, reject) => {
              const at = now()
              waiting.push({
                line: `${id} ${at}\n`,
                done: (error) => {
                  if (error === undefined) {
                    entries.set(id, at)
                    resolve()
                  } else reject(error)
                },
              })
              void startWriting()
            }),
          catch: storageError("record"),
        }),
      prune: (cutoff) =>
        Effect.tryPromise({
          try: () =>
            exclusive(async () => {
              await writeAll()
              const kept = [...entries].filter(([, at]) => at >= cutoff.getTime())
              const forgotten = entries.size - kept.length
              if (forgotten === 0) return 0
              await writeFileAtomically(path, kept.map(([id, at]) => `${id} ${at}\n`).join(""))
              await handle.close()
              handle = await open(path, "a", 0o600)
              for (const [id, at] of entries) if (at < cutoff.getTime()) entries.delete(id)
              return forgotten
            }),
          catch: storageError("prune"),
        }),
    })
  })

export const JOURNAL_FOLDER = ".journal"

/** The journal in USERS_DIR/.journal, pruned by age in housekeeping (every CLEANUP_INTERVAL_SECONDS). */
export const FileUpdateJournal = Layer.scoped(
  UpdateJournal,
  Effect.gen(function* () {
    const users = yield* UsersDirectory
    const journal = yield* makeFileUpdateJournal(join(users.path, JOURNAL_FOLDER))
    yield* (yield* Housekeeping).register(
      "update journal",
      pruneJournal.pipe(Effect.provideService(UpdateJournal, journal)),
    )
    return journal
  }),
)
