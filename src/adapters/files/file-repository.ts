import { statSync } from "node:fs"
import { opendir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { Chunk, Context, Deferred, Effect, FiberId, Layer, Option, Stream } from "effect"
import { attempt, StorageError } from "../../application/ports/storage-error.ts"
import { StudentDirectory, summaryOf } from "../../application/ports/student-directory.ts"
import { StudentRecordDamaged, StudentRepository } from "../../application/ports/student-repository.ts"
import type { Student, UserId } from "../../domain/student.ts"
import { Housekeeping } from "../common/housekeeping.ts"
import { encodeStudentFile } from "../common/student-file.ts"
import { randomId } from "../system/ids.ts"
import { removeLeftoverTemporaries, writeFileAtomically, writeJsonAtomically } from "./atomic-write.ts"
import { makeKeyedLock } from "./keyed-lock.ts"
import { makeStudentIndex } from "./student-index.ts"
import {
  INDEX_SNAPSHOT,
  readRecord,
  readRecordSync,
  type StoredRecord,
  studentIdOf,
  studentPath,
} from "./student-records.ts"
import { quarantine, UsersDirectory } from "./users-directory.ts"

/**
 * Students as `user_<id>.json` files (the Python version's format), with an in-memory index for admin
 * scans. Saves of one student are serialised by a per-student lock and durable before they resolve.
 * At start the index is restored from its snapshot and checked against the directory in the
 * background (a stat per file; only changed files are read): the bot serves students meanwhile, and
 * admin scans wait for it.
 */
export const makeFileStudents = Effect.gen(function* () {
  const { path: directory } = yield* UsersDirectory
  const lock = makeKeyedLock<number>()
  const index = makeStudentIndex()
  const indexed = yield* Deferred.make<void, StorageError>()
  const snapshotPath = join(directory, INDEX_SNAPSHOT)

  /** Sets a damaged file aside (under the student's lock), unless a save replaced it meanwhile. */
  const setAside = (id: UserId, first: StoredRecord & { _tag: "Damaged" }) =>
    lock.withLock(
      id,
      Effect.gen(function* () {
        const again = yield* attempt("read", () => readRecord(directory, id))
        if (again._tag !== "Damaged") return again
        const errorId = randomId()
        const aside = yield* attempt("quarantine", () => quarantine(studentPath(directory, id), errorId))
        index.delete(id)
        yield* Effect.logError(`student record damaged [${errorId}], moved to ${aside}`, first.detail).pipe(
          Effect.annotateLogs({ errorId, userId: id }),
        )
        return yield* new StudentRecordDamaged({ userId: id, errorId })
      }),
    )

  const find = (id: UserId) =>
    attempt("read", () => readRecord(directory, id)).pipe(
      Effect.flatMap((record) => (record._tag === "Damaged" ? setAside(id, record) : Effect.succeed(record))),
      Effect.map((record) =>
        record._tag === "Found" ? Option.some(record.student) : Option.none<Student>(),
      ),
    )

  const write = (student: Student) =>
    Effect.gen(function* () {
      const previous = yield* attempt("read", () => readRecord(directory, student.userId))
      if (previous._tag === "Damaged") {
        // Overwriting would lose what is left of it: keep it aside for a person to look at.
        const errorId = randomId()
        yield* attempt("quarantine", () => quarantine(studentPath(directory, student.userId), errorId))
        yield* Effect.logWarning(`damaged record replaced by a save [${errorId}]`, previous.detail).pipe(
          Effect.annotateLogs({ errorId, userId: student.userId }),
        )
      }
      const written = yield* attempt("write", () =>
        writeJsonAtomically(
          studentPath(directory, student.userId),
          encodeStudentFile(student, previous._tag === "Found" ? previous.raw : undefined),
        ),
      )
      index.set(summaryOf(student), written)
    })

  // Saves of one student that wait for the lock together are written once, with the newest version:
  // each resolves when a write holding it or a newer version is durable.
  const waiting = new Map<number, { latest: Student; readonly done: Deferred.Deferred<void, StorageError> }>()
  const save = (student: Student) =>
    Effect.suspend(() => {
      const id = student.userId
      const batch = waiting.get(id)
      if (batch !== undefined) {
        batch.latest = student
        return Deferred.await(batch.done)
      }
      const next = { latest: student, done: Deferred.unsafeMake<void, StorageError>(FiberId.none) }
      waiting.set(id, next)
      const writer = lock.withLock(
        id,
        Effect.suspend(() => {
          waiting.delete(id)
          return write(next.latest)
        }),
      )
      // Forked, so that an interrupted caller cannot strand the others waiting on the same write.
      return writer.pipe(
        Effect.intoDeferred(next.done),
        Effect.forkDaemon,
        Effect.zipRight(Deferred.await(next.done)),
      )
    })

  /** Lets the event loop breathe between batches of blocking file calls. */
  const breathe = Effect.promise(() => new Promise<void>((done) => setImmediate(done)))

  /**
   * Brings the index in line with the directory: restore the snapshot, remove a crash's temporary
   * files, stat every student file (in batches) and read only those that changed.
   */
  const reconcile = Effect.gen(function* () {
    const started = Date.now()
    const snapshot = yield* Effect.promise(() => readFile(snapshotPath).catch(() => undefined))
    let restored = 0
    if (snapshot !== undefined) {
      restored = yield* Effect.try(() => index.restore(snapshot)).pipe(
        Effect.catchAll(() =>
          Effect.as(Effect.logWarning("index snapshot unreadable: reading every file"), 0),
        ),
      )
    }
    // Listed as a stream, keeping only the ids: 100 000 names at once would cost ~30 MB of RSS for good.
    const listed: Array<number> = []
    const temporaries: Array<string> = []
    yield* attempt("scan", async () => {
      for await (const entry of await opendir(directory, { bufferSize: 256 })) {
        const id = studentIdOf(entry.name)
        if (id !== undefined) listed.push(id)
        else if (entry.name.endsWith(".tmp")) temporaries.push(entry.name)
      }
    })
    const leftovers = yield* attempt("scan", () => removeLeftoverTemporaries(directory, temporaries))
    if (leftovers > 0) yield* Effect.logInfo(`removed ${leftovers} temporary files left by a crash`)
    const stale: Array<number> = []
    for (let from = 0; from < listed.length; from += 2000) {
      yield* Effect.try({
        try: () => {
          for (const id of listed.slice(from, from + 2000)) {
            const stats = statSync(studentPath(directory, id), { throwIfNoEntry: false })
            if (stats === undefined || !index.matches(id, stats.mtimeMs, stats.size)) stale.push(id)
          }
        },
        catch: (error) => new StorageError({ operation: "scan", detail: String(error) }),
      })
      yield* breathe
    }
    for (const id of index.idsNotIn(listed)) stale.push(id)
    const damaged: Array<number> = []
    for (let from = 0; from < stale.length; from += 200) {
      yield* Effect.try({
        try: () => {
          for (const id of stale.slice(from, from + 200)) {
            const record = readRecordSync(directory, id)
            if (record._tag === "Found") index.set(summaryOf(record.student), record.file)
            else index.delete(id)
            if (record._tag === "Damaged") damaged.push(id)
          }
        },
        catch: (error) => new StorageError({ operation: "scan", detail: String(error) }),
      })
      yield* breathe
    }
    if (damaged.length > 0)
      yield* Effect.logWarning(
        `${damaged.length} damaged student files left out of the index (each is set aside when its student writes): ${damaged
          .slice(0, 20)
          .map((id) => `user_${id}.json`)
          .join(", ")}${damaged.length > 20 ? ", …" : ""}`,
      )
    yield* Effect.logInfo(
      `student index ready: ${index.count()} students (${restored} from the snapshot, ${stale.length} read) in ${Date.now() - started} ms`,
    )
  })

  const snapshotting = yield* Effect.makeSemaphore(1)
  const saveSnapshot = snapshotting.withPermits(1)(
    Effect.suspend(() =>
      index.changedSinceSnapshot()
        ? attempt("snapshot", () => writeFileAtomically(snapshotPath, index.snapshot()))
        : Effect.void,
    ),
  )

  yield* reconcile.pipe(
    Effect.tapError((error) => Effect.logError("student index scan failed", error.detail)),
    Effect.intoDeferred(indexed),
    Effect.forkScoped,
  )
  yield* Effect.addFinalizer(() =>
    Deferred.isDone(indexed).pipe(
      Effect.flatMap((done) => (done ? saveSnapshot : Effect.void)),
      Effect.catchAll((error) => Effect.logWarning("index snapshot not saved", error.detail)),
    ),
  )

  const whenIndexed = Deferred.await(indexed)
  const repository = StudentRepository.of({ find, save })
  const students = StudentDirectory.of({
    count: Effect.zipRight(
      whenIndexed,
      Effect.sync(() => index.count()),
    ),
    summaries: Effect.zipRight(
      whenIndexed,
      Effect.sync(() => index.summaries()),
    ),
    // Read in batches of blocking calls: an export of 100 000 files spends its time reading, not hopping
    // through the thread pool. A damaged file is left out (it is set aside when its student writes).
    students: Stream.unwrap(
      Effect.map(whenIndexed, () => Stream.fromIterable(index.ids().sort((a, b) => a - b))),
    ).pipe(
      Stream.grouped(100),
      Stream.mapEffect((batch) =>
        Effect.try({
          try: () =>
            Chunk.filterMap(batch, (id) => {
              const record = readRecordSync(directory, id)
              return record._tag === "Found" ? Option.some(record.student) : Option.none()
            }),
          catch: (error) => new StorageError({ operation: "export", detail: String(error) }),
        }).pipe(Effect.zipLeft(breathe)),
      ),
      Stream.flattenChunks,
    ),
  })
  return { repository, directory: students, index, whenIndexed, saveSnapshot, lock }
})

export type FileStudents = Effect.Effect.Success<typeof makeFileStudents>

/** StudentRepository and StudentDirectory over USERS_DIR; the index snapshot is saved by housekeeping. */
export const FileStudentStore = Layer.scopedContext(
  Effect.gen(function* () {
    const files = yield* makeFileStudents
    const housekeeping = yield* Housekeeping
    yield* housekeeping.register("student index snapshot", files.saveSnapshot)
    return Context.make(StudentRepository, files.repository).pipe(
      Context.add(StudentDirectory, files.directory),
    )
  }),
)
