import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { Conversation } from "../../application/ports/draft-store.ts"
import type { StorageError } from "../../application/ports/student-repository.ts"
import { DRAFTS_FOLDER } from "../storage/file-draft-store.ts"
import { decodeStudentFile, parseIsoDate } from "../storage/student-file.ts"
import { Database, query } from "./database.ts"
import { rowOf } from "./postgres-student-repository.ts"

export type Counts = {
  /** Not in the database before. */
  added: number
  /** In the database, and the file is newer (a later `last_updated`). */
  updated: number
  /** Already there as in the file, or newer in the database: left alone. */
  unchanged: number
  /** Files that could not be read: `name: reason`. */
  damaged: Array<string>
}

export type ImportReport = { readonly students: Counts; readonly drafts: Counts }

const STUDENT_FILE = /^user_(\d+)\.json$/
const DRAFT_FILE = /^draft_(\d+)\.json$/
const KNOWN_FIELDS = new Set([
  "user_id",
  "first_name",
  "last_name",
  "grade",
  "major",
  "province",
  "city",
  "phone",
  "registration_date",
  "last_updated",
])

const counts = (): Counts => ({ added: 0, updated: 0, unchanged: 0, damaged: [] })

const listFiles = (directory: string, pattern: RegExp) =>
  Effect.promise(() =>
    readdir(directory).then(
      (names) => names.filter((name) => pattern.test(name)).sort(),
      () => [] as Array<string>,
    ),
  )

const readJson = (path: string) =>
  Effect.tryPromise({ try: async () => JSON.parse(await readFile(path, "utf8")) as unknown, catch: String })

const DraftFile = Schema.Struct({
  user_id: Schema.Number,
  updated_at: Schema.String,
  conversation: Conversation,
})

/**
 * Copies a file deployment into PostgreSQL: `user_<id>.json` (this bot's and the older Python bot's) and
 * `drafts/draft_<id>.json`. Idempotent: a student is written only when new or when the file is newer than
 * the row (so a second run changes nothing, and a student edited since in PostgreSQL is kept); a draft
 * only when the student has none. Fields the files have and this version does not know go to `extra`.
 */
export const importFiles = (usersDir: string): Effect.Effect<ImportReport, StorageError, Database> =>
  Effect.gen(function* () {
    const { sql } = yield* Database
    const students = counts()
    for (const name of yield* listFiles(usersDir, STUDENT_FILE)) {
      const raw = yield* Effect.either(readJson(join(usersDir, name)))
      if (raw._tag === "Left") {
        students.damaged.push(`${name}: ${raw.left}`)
        continue
      }
      const decoded = decodeStudentFile(raw.right)
      if (decoded._tag === "Left") {
        students.damaged.push(`${name}: ${decoded.left.split("\n")[0]}`)
        continue
      }
      const file = raw.right as Record<string, unknown>
      const extra = Object.fromEntries(Object.entries(file).filter(([key]) => !KNOWN_FIELDS.has(key)))
      const row = rowOf(decoded.right)
      const written = yield* query(
        "import student",
        () => sql`insert into students ${sql({ ...row, extra: sql.json(extra as never) })}
          on conflict (user_id) do update set
            first_name = excluded.first_name, last_name = excluded.last_name, grade = excluded.grade,
            major = excluded.major, province = excluded.province, city = excluded.city, phone = excluded.phone,
            registration_date = excluded.registration_date, last_updated = excluded.last_updated,
            extra = students.extra || excluded.extra
          where students.last_updated < excluded.last_updated
          returning (xmax = 0) as inserted`,
      )
      if (written[0] === undefined) students.unchanged += 1
      else if (written[0].inserted === true) students.added += 1
      else students.updated += 1
    }

    const drafts = counts()
    const draftsDir = join(usersDir, DRAFTS_FOLDER)
    for (const name of yield* listFiles(draftsDir, DRAFT_FILE)) {
      const raw = yield* Effect.either(readJson(join(draftsDir, name)))
      const decoded = raw._tag === "Right" ? Schema.decodeUnknownEither(DraftFile)(raw.right) : undefined
      const updatedAt = decoded?._tag === "Right" ? parseIsoDate(decoded.right.updated_at) : undefined
      if (decoded?._tag !== "Right" || updatedAt === undefined) {
        drafts.damaged.push(`${name}: ${raw._tag === "Left" ? raw.left : "not a draft"}`)
        continue
      }
      const conversation = Schema.encodeSync(Conversation)(decoded.right.conversation)
      const written = yield* query(
        "import draft",
        () => sql`insert into drafts (user_id, conversation, updated_at)
          values (${decoded.right.user_id}, ${sql.json(conversation as never)}, ${updatedAt})
          on conflict (user_id) do nothing
          returning user_id`,
      )
      if (written.length > 0) drafts.added += 1
      else drafts.unchanged += 1
    }
    return { students, drafts }
  })

/** The report as an operator reads it: one line per kind, then each damaged file. */
export const describeImport = (report: ImportReport): string =>
  Object.entries(report)
    .flatMap(([kind, count]: [string, Counts]) => [
      `${kind}: ${count.added} added, ${count.updated} updated, ${count.unchanged} unchanged, ${count.damaged.length} damaged`,
      ...count.damaged.map((line) => `  skipped ${line}`),
    ])
    .join("\n")
