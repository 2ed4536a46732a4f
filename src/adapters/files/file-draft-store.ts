import { readdir, readFile, unlink } from "node:fs/promises"
import { join } from "node:path"
import { Clock, Effect, Layer, Option, Schema } from "effect"
import { type Conversation, DraftStore, markTrusted } from "../../application/ports/draft-store.ts"
import { attempt } from "../../application/ports/storage-error.ts"
import type { UserId } from "../../domain/student.ts"
import { Housekeeping } from "../common/housekeeping.ts"
import { randomId } from "../system/ids.ts"
import { type LogRewriter, openAppendLog } from "./append-log.ts"
import { syncDirectory, writeFileAtomically } from "./atomic-write.ts"
import {
  DRAFTS_JOURNAL,
  OLD_DRAFT_FILE,
  OldDraftFile,
  putRecord,
  removedRecord,
  replayDraftJournal,
  type StoredDraft,
} from "./draft-journal.ts"
import { makeKeyedLock } from "./keyed-lock.ts"
import { quarantine, UsersDirectory } from "./users-directory.ts"

/** Drafts live in their own folder, so that USERS_DIR itself holds only the Python version's files. */
export const DRAFTS_FOLDER = "drafts"

export const draftJournalPath = (usersDir: string) => join(usersDir, DRAFTS_FOLDER, DRAFTS_JOURNAL)

const decodeOldDraftFile = Schema.decodeUnknownEither(Schema.parseJson(OldDraftFile))

/** The journal is rewritten as a snapshot once it holds more than this many records per live draft… */
const COMPACT_RATIO = 4
/** …and is larger than this (rewriting a small journal is not worth it). */
const COMPACT_BYTES = 1024 * 1024

export type FileDraftOptions = {
  /** Drafts untouched for this many days are removed by the periodic cleanup. */
  readonly maxAgeDays: number
}

/**
 * Registrations and edits in progress, so that a restart resumes them at the same step: one journal
 * file, `drafts/drafts.log`, one JSON line per put or remove (see draft-journal.ts), group-committed —
 * the steps of many students at once share one write + fdatasync, where a file per draft cost six
 * syscalls each. A put resolves only once its line is durable.
 *
 * All live drafts are kept in memory (the journal is replayed at start). That is bounded by the
 * students in the middle of a registration or edit: a finished one removes its draft and housekeeping
 * drops drafts untouched for `maxAgeDays` (a draft takes ~0.5 KB: 100 000 unfinished ones ~50 MB). The
 * journal is bounded too: past COMPACT_RATIO records per live draft and COMPACT_BYTES it is rewritten
 * as a snapshot of the live drafts.
 *
 * A damaged line is logged with an error ID (and kept aside as `drafts.log.<ID>.corrupt`), and that
 * student starts over; a torn last line (a crash mid-write, never acknowledged) is dropped.
 */
export const makeFileDraftStore = (options: FileDraftOptions) =>
  Effect.gen(function* () {
    const { path: usersDir } = yield* UsersDirectory
    const folder = join(usersDir, DRAFTS_FOLDER)
    const path = draftJournalPath(usersDir)
    const { text, log } = yield* attempt("open drafts", () => openAppendLog(path))
    yield* Effect.addFinalizer(() => Effect.promise(log.close))
    const replayed = replayDraftJournal(text)
    // What the journal says, changed only once a line is durable (in append's callback, so that a
    // snapshot taken in `exclusive` holds every acknowledged change).
    const drafts = replayed.drafts
    // Handled marks, of live drafts and of removed ones (kept as long as they are trusted).
    const marks = replayed.marks
    let records = replayed.records
    let bytes = Buffer.byteLength(text)
    const lock = makeKeyedLock<number>()

    const append = (id: number, draft: StoredDraft | undefined, at: number, handled?: number) => {
      const line = draft === undefined ? removedRecord(id, at, handled) : putRecord(id, draft, handled)
      return log.append(line, () => {
        records += 1
        bytes += Buffer.byteLength(line)
        if (draft === undefined) drafts.delete(id)
        else drafts.set(id, draft)
        if (handled !== undefined) marks.set(id, { update: handled, at })
      })
    }
    const tooLarge = () => records > COMPACT_RATIO * drafts.size && bytes > COMPACT_BYTES
    /** Rewrites the journal as the live drafts, less `dropped`; call inside `log.exclusive`. */
    const snapshot = async (file: LogRewriter, now: number, dropped: ReadonlySet<number> = new Set()) => {
      const lines = [...drafts]
        .filter(([id]) => !dropped.has(id))
        .map(([id, draft]) => putRecord(id, draft, marks.get(id)?.update))
      const forgotten: Array<number> = []
      for (const [id, mark] of marks) {
        if (drafts.has(id) && !dropped.has(id)) continue
        // a removed draft's mark is kept while it is trusted, then forgotten
        if (markTrusted(mark.at, now)) lines.push(removedRecord(id, mark.at, mark.update))
        else forgotten.push(id)
      }
      const content = lines.join("")
      await file.rewrite(content)
      for (const id of dropped) drafts.delete(id)
      for (const id of forgotten) marks.delete(id)
      records = lines.length
      bytes = Buffer.byteLength(content)
    }
    const compact = Effect.flatMap(Clock.currentTimeMillis, (now) =>
      attempt("compact drafts", () =>
        log.exclusive(async (file) => {
          if (tooLarge()) await snapshot(file, now)
        }),
      ),
    )

    /** The change is durable already: a failed compaction is only logged (the next change retries it). */
    const compactIfLarge = Effect.suspend(() => (tooLarge() ? compact : Effect.void)).pipe(
      Effect.catchAll((error) => Effect.logWarning("draft journal compaction failed", error.detail)),
    )

    for (const damaged of replayed.damaged) {
      const errorId = randomId()
      yield* attempt("quarantine draft", () =>
        writeFileAtomically(`${path}.${errorId}.corrupt`, `${damaged.text}\n`),
      )
      yield* Effect.logError(
        `draft journal line ${damaged.line} damaged [${errorId}], skipped; the student starts over`,
        damaged.reason,
      ).pipe(Effect.annotateLogs({ errorId, userId: damaged.id ?? "unknown" }))
    }

    // Drafts the previous version left as files: into the journal (committed), then the files go.
    const names = yield* attempt("list drafts", () => readdir(folder))
    const migrated: Array<string> = []
    yield* Effect.forEach(
      names.filter((name) => OLD_DRAFT_FILE.test(name)),
      (name) =>
        Effect.gen(function* () {
          const id = Number(OLD_DRAFT_FILE.exec(name)?.[1])
          const decoded = decodeOldDraftFile(
            yield* attempt("read draft", () => readFile(join(folder, name), "utf8")),
          )
          const at = decoded._tag === "Right" ? Date.parse(decoded.right.updated_at) : Number.NaN
          if (decoded._tag === "Right" && decoded.right.user_id === id && !Number.isNaN(at)) {
            yield* attempt("migrate draft", () =>
              append(id, { conversation: decoded.right.conversation, at }, at),
            )
            migrated.push(name)
            return
          }
          const errorId = randomId()
          yield* attempt("quarantine draft", () => quarantine(join(folder, name), errorId))
          yield* Effect.logError(
            `draft damaged [${errorId}], set aside; the student starts over`,
            decoded._tag === "Left" ? String(decoded.left) : "user_id or updated_at wrong",
          ).pipe(Effect.annotateLogs({ errorId, userId: id }))
        }),
      { concurrency: 16, discard: true },
    )
    if (migrated.length > 0) {
      yield* attempt("migrate drafts", async () => {
        for (const name of migrated) await unlink(join(folder, name))
        await syncDirectory(folder)
      })
      yield* Effect.logInfo(`moved ${migrated.length} draft files into ${DRAFTS_JOURNAL}`)
    }
    // Damaged lines are not read (and reported) again; a journal grown large is compacted at start.
    if (replayed.damaged.length > 0) {
      const now = yield* Clock.currentTimeMillis
      yield* attempt("compact drafts", () => log.exclusive((file) => snapshot(file, now)))
    } else yield* compact

    const get = (id: UserId) =>
      Effect.sync(() => {
        const mark = marks.get(id)
        return {
          conversation: Option.fromNullable(drafts.get(id)?.conversation),
          handled:
            mark === undefined ? Option.none() : Option.some({ update: mark.update, at: new Date(mark.at) }),
        }
      })

    const put = (id: UserId, conversation: Conversation, handled?: number) =>
      lock
        .withLock(
          id,
          Effect.gen(function* () {
            const at = yield* Clock.currentTimeMillis
            yield* attempt("write draft", () => append(id, { conversation, at }, at, handled))
          }),
        )
        .pipe(Effect.zipLeft(compactIfLarge))

    const remove = (id: UserId, handled?: number) =>
      lock
        .withLock(
          id,
          Effect.gen(function* () {
            if (!drafts.has(id) && handled === undefined) return
            const at = yield* Clock.currentTimeMillis
            yield* attempt("remove draft", () => append(id, undefined, at, handled))
          }),
        )
        .pipe(Effect.zipLeft(compactIfLarge))

    /** Removes drafts not written for `maxAgeDays` (and compacts the journal); returns how many. */
    const removeStale = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const cutoff = now - options.maxAgeDays * 24 * 60 * 60 * 1000
      const removed = yield* attempt("remove stale drafts", () =>
        log.exclusive(async (file) => {
          const stale = new Set([...drafts].filter(([, draft]) => draft.at < cutoff).map(([id]) => id))
          const expired = [...marks].some(([id, mark]) => !drafts.has(id) && !markTrusted(mark.at, now))
          if (stale.size > 0 || expired || tooLarge()) await snapshot(file, now, stale)
          return stale.size
        }),
      )
      if (removed > 0)
        yield* Effect.logInfo(`removed ${removed} drafts untouched for ${options.maxAgeDays} days`)
      return removed
    })

    return {
      store: DraftStore.of({ get, put, remove }),
      removeStale,
      /** For tests: how many write + fdatasync rounds the journal made, and its records against live drafts. */
      stats: () => ({ syncs: log.syncs(), records, live: drafts.size }),
    }
  })

/** The DraftStore in USERS_DIR/drafts, with its cleanup registered in housekeeping. */
export const FileDraftStore = (options: FileDraftOptions) =>
  Layer.scoped(
    DraftStore,
    Effect.gen(function* () {
      const drafts = yield* makeFileDraftStore(options)
      yield* (yield* Housekeeping).register("stale drafts", drafts.removeStale)
      return drafts.store
    }),
  )
