import { readdir, readFile, stat, unlink } from "node:fs/promises"
import { join } from "node:path"
import { Clock, Effect, Layer, Option, Schema } from "effect"
import { Conversation, DraftStore } from "../../application/ports/draft-store.ts"
import { StorageError } from "../../application/ports/student-repository.ts"
import type { UserId } from "../../domain/student.ts"
import { randomId } from "../system/ids.ts"
import { syncDirectory, writeJsonAtomically } from "./atomic-write.ts"
import { Housekeeping } from "./housekeeping.ts"
import { makeKeyedLock } from "./keyed-lock.ts"
import { quarantine, UsersDirectory } from "./users-directory.ts"

/** Drafts live in their own folder, so that USERS_DIR itself holds only the Python version's files. */
export const DRAFTS_FOLDER = "drafts"
const DRAFT_FILE = /^draft_(\d+)\.json$/

/** `drafts/draft_<id>.json`: the conversation, and when it was last touched. */
const DraftFile = Schema.Struct({
  user_id: Schema.Number,
  updated_at: Schema.String,
  conversation: Conversation,
})
const decodeDraftFile = Schema.decodeUnknownEither(Schema.parseJson(DraftFile))
const encodeConversation = Schema.encodeSync(Conversation)

export const draftPath = (usersDir: string, id: number) => join(usersDir, DRAFTS_FOLDER, `draft_${id}.json`)

const attempt = <A>(operation: string, run: () => Promise<A>) =>
  Effect.tryPromise({
    try: run,
    catch: (error) =>
      new StorageError({ operation, detail: error instanceof Error ? error.message : String(error) }),
  })

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT"

/** Drafts (and "no draft" answers) kept in memory; beyond that the least recently written are read again. */
const MAX_REMEMBERED = 20_000

export type FileDraftOptions = {
  /** Drafts untouched for this many days are removed by the periodic cleanup. */
  readonly maxAgeDays: number
}

/**
 * Registrations and edits in progress, one durable file each, so that a restart resumes them at the
 * same step. A damaged draft is set aside (`*.corrupt`, logged with an error ID) and the student starts
 * over. Housekeeping removes drafts untouched for `maxAgeDays`.
 */
export const makeFileDraftStore = (options: FileDraftOptions) =>
  Effect.gen(function* () {
    const { path: usersDir } = yield* UsersDirectory
    const folder = join(usersDir, DRAFTS_FOLDER)
    const lock = makeKeyedLock<number>()
    // What the files say, kept in memory: one process owns USERS_DIR (its lock), so every change to a
    // draft goes through here. A get is then answered without reading the file (every update asks).
    const known = new Map<number, Option.Option<Conversation>>()
    let changes = 0
    const remember = (id: number, conversation: Option.Option<Conversation>) => {
      known.delete(id)
      known.set(id, conversation)
      if (known.size > MAX_REMEMBERED) known.delete(known.keys().next().value as number)
    }
    /** Before and after every change: a read that overlapped one does not remember what it read. */
    const forget = (id: number) => {
      changes += 1
      known.delete(id)
    }
    const changed = (id: number, conversation: Option.Option<Conversation>) => {
      changes += 1
      remember(id, conversation)
    }

    const get = (id: UserId) =>
      Effect.suspend(() => {
        const remembered = known.get(id)
        if (remembered !== undefined) return Effect.succeed(remembered)
        const before = changes
        return Effect.tap(read(id), (conversation) => {
          if (changes === before) remember(id, conversation)
        })
      })

    const read = (id: UserId) =>
      Effect.gen(function* () {
        const text = yield* attempt("read draft", () =>
          readFile(draftPath(usersDir, id), "utf8").catch((error) => {
            if (isMissing(error)) return undefined
            throw error
          }),
        )
        if (text === undefined) return Option.none<Conversation>()
        const decoded = decodeDraftFile(text)
        if (decoded._tag === "Right" && decoded.right.user_id === id)
          return Option.some(decoded.right.conversation)
        const errorId = randomId()
        forget(id)
        yield* lock.withLock(
          id,
          attempt("quarantine draft", () =>
            quarantine(draftPath(usersDir, id), errorId).catch((error) => {
              if (!isMissing(error)) throw error
            }),
          ),
        )
        yield* Effect.logError(
          `draft damaged [${errorId}], set aside; the student starts over`,
          decoded._tag === "Left" ? String(decoded.left) : "user_id differs",
        ).pipe(Effect.annotateLogs({ errorId, userId: id }))
        return Option.none<Conversation>()
      })

    const put = (id: UserId, conversation: Conversation) =>
      lock.withLock(
        id,
        Effect.gen(function* () {
          const now = new Date(yield* Clock.currentTimeMillis)
          forget(id)
          yield* attempt("write draft", () =>
            writeJsonAtomically(draftPath(usersDir, id), {
              user_id: id,
              updated_at: now.toISOString(),
              conversation: encodeConversation(conversation),
            }),
          )
          changed(id, Option.some(conversation))
        }),
      )

    const remove = (id: UserId) =>
      lock.withLock(
        id,
        attempt("remove draft", async () => {
          forget(id)
          try {
            await unlink(draftPath(usersDir, id))
          } catch (error) {
            if (isMissing(error)) return
            throw error
          }
          await syncDirectory(folder)
        }).pipe(Effect.tap(() => changed(id, Option.none()))),
      )

    /** Removes drafts whose file was not written for `maxAgeDays`; returns how many. */
    const removeStale = Effect.gen(function* () {
      const cutoff = (yield* Clock.currentTimeMillis) - options.maxAgeDays * 24 * 60 * 60 * 1000
      const names = yield* attempt("list drafts", () => readdir(folder))
      let removed = 0
      for (const name of names) {
        const match = DRAFT_FILE.exec(name)
        if (match === null) continue
        const id = Number(match[1])
        const gone = yield* lock.withLock(
          id,
          attempt("remove draft", async () => {
            const stats = await stat(join(folder, name)).catch(() => undefined)
            if (stats === undefined || stats.mtimeMs >= cutoff) return false
            forget(id)
            await unlink(join(folder, name))
            return true
          }),
        )
        if (gone) removed += 1
      }
      if (removed > 0) {
        yield* attempt("remove draft", () => syncDirectory(folder))
        yield* Effect.logInfo(`removed ${removed} drafts untouched for ${options.maxAgeDays} days`)
      }
      return removed
    })

    return { store: DraftStore.of({ get, put, remove }), removeStale }
  })

/** The DraftStore in USERS_DIR/drafts, with its cleanup registered in housekeeping. */
export const FileDraftStore = (options: FileDraftOptions) =>
  Layer.effect(
    DraftStore,
    Effect.gen(function* () {
      const drafts = yield* makeFileDraftStore(options)
      yield* (yield* Housekeeping).register("stale drafts", drafts.removeStale)
      return drafts.store
    }),
  )
