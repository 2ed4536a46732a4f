import { readdir, readFile } from "node:fs/promises"
import { basename, join } from "node:path"
import { Effect, Schema } from "effect"
import { Conversation } from "../../application/ports/draft-store.ts"
import type { StorageError } from "../../application/ports/storage-error.ts"
import { Broadcast, DeliveryState } from "../../domain/broadcast.ts"
import { Enrolment } from "../../domain/enrolment.ts"
import { Order } from "../../domain/order.ts"
import { StudentFlags } from "../../domain/student-flags.ts"
import { decodeStudentFile, parseIsoDate } from "../common/student-file.ts"
import {
  DRAFTS_JOURNAL,
  OLD_DRAFT_FILE,
  OldDraftFile,
  replayDraftJournal,
  type StoredDraft,
} from "../files/draft-journal.ts"
import { DRAFTS_FOLDER } from "../files/file-draft-store.ts"
import { Database, query } from "../postgres/database.ts"
import { rowOf, STUDENT_COLUMNS } from "../postgres/postgres-student-repository.ts"

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

export type ImportReport = {
  readonly students: Counts
  readonly drafts: Counts
  readonly records?: Readonly<Record<"enrolments" | "orders" | "flags" | "broadcasts" | "deliveries", Counts>>
}

const STUDENT_FILE = /^user_(\d+)\.json$/
const KNOWN_FIELDS: ReadonlySet<string> = new Set(STUDENT_COLUMNS)

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

/**
 * Copies a file deployment into PostgreSQL: `user_<id>.json` (this bot's and the older Python bot's) and
 * the drafts (`drafts/drafts.log`, and the previous version's `drafts/draft_<id>.json`). Idempotent: a
 * student is written only when new or when the file is newer than the row (so a second run changes
 * nothing, and a student edited since in PostgreSQL is kept); a draft only when the student has none. Fields the files have and this version does not know go to `extra`.
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
    // The previous version's files, then the journal (newer: a start moves the files into it).
    const found = new Map<number, StoredDraft>()
    for (const name of yield* listFiles(draftsDir, OLD_DRAFT_FILE)) {
      const raw = yield* Effect.either(readJson(join(draftsDir, name)))
      const decoded = raw._tag === "Right" ? Schema.decodeUnknownEither(OldDraftFile)(raw.right) : undefined
      const updatedAt = decoded?._tag === "Right" ? parseIsoDate(decoded.right.updated_at) : undefined
      if (decoded?._tag !== "Right" || updatedAt === undefined) {
        drafts.damaged.push(`${name}: ${raw._tag === "Left" ? raw.left : "not a draft"}`)
        continue
      }
      found.set(decoded.right.user_id, { conversation: decoded.right.conversation, at: updatedAt.getTime() })
    }
    const journal = yield* Effect.promise(() =>
      readFile(join(draftsDir, DRAFTS_JOURNAL), "utf8").catch(() => ""),
    )
    const replayed = replayDraftJournal(journal.slice(0, journal.lastIndexOf("\n") + 1))
    for (const damaged of replayed.damaged)
      drafts.damaged.push(`${DRAFTS_JOURNAL} line ${damaged.line}: not a draft`)
    for (const [id, draft] of replayed.drafts) found.set(id, draft)
    for (const [id, draft] of found) {
      const conversation = Schema.encodeSync(Conversation)(draft.conversation)
      const written = yield* query(
        "import draft",
        () => sql`insert into drafts (user_id, conversation, updated_at)
          values (${id}, ${sql.json(conversation as never)}, ${new Date(draft.at)})
          on conflict (user_id) do nothing
          returning user_id`,
      )
      if (written.length > 0) drafts.added += 1
      else drafts.unchanged += 1
    }
    return { students, drafts }
  })

/** The rows a record journal holds now: its last line per key wins; a line without a value deletes. */
const readJournal = <A, I>(path: string, schema: Schema.Schema<A, I>, count: Counts) =>
  Effect.promise(async () => {
    const text = await readFile(path, "utf8").catch(() => "")
    const raw = new Map<string, unknown>()
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue
      try {
        const parsed = JSON.parse(line) as { k?: unknown; v?: unknown }
        if (typeof parsed.k !== "string") throw new Error("no key")
        if (parsed.v === undefined) raw.delete(parsed.k)
        else raw.set(parsed.k, parsed.v)
      } catch {
        // A torn last line was never acknowledged; anything else is reported.
        if (line !== text.split("\n").at(-1)) count.damaged.push(`${basename(path)}: a line that is not JSON`)
      }
    }
    const rows: Array<A> = []
    for (const [key, value] of raw) {
      const decoded = Schema.decodeUnknownEither(schema)(value)
      if (decoded._tag === "Right") rows.push(decoded.right)
      else count.damaged.push(`${basename(path)}: ${key} does not decode`)
    }
    return rows
  })

const tally = (count: Counts, written: ReadonlyArray<unknown>) => {
  if (written.length > 0) count.added += 1
  else count.unchanged += 1
}

/**
 * Copies RECORDS_DIR's journals (enrolments, orders with their receipt images, flags, broadcasts and each
 * broadcast's recipients). Idempotent: a row already in the database is left as it is.
 */
export const importRecords = (recordsDir: string) =>
  Effect.gen(function* () {
    const { sql } = yield* Database
    const records = {
      enrolments: counts(),
      orders: counts(),
      flags: counts(),
      broadcasts: counts(),
      deliveries: counts(),
    }
    const json = (value: unknown) => sql.json(value as never)
    for (const enrolment of yield* readJournal(
      join(recordsDir, "enrolments.jsonl"),
      Enrolment,
      records.enrolments,
    ))
      tally(
        records.enrolments,
        yield* query(
          "import enrolment",
          () => sql`insert into enrolments (user_id, course_id, enrolled_at, record) values (${enrolment.userId},
            ${enrolment.courseId}, ${enrolment.enrolledAt}, ${json(Schema.encodeSync(Enrolment)(enrolment))})
            on conflict do nothing returning user_id`,
        ),
      )
    for (const order of yield* readJournal(join(recordsDir, "orders.jsonl"), Order, records.orders)) {
      tally(
        records.orders,
        yield* query(
          "import order",
          () => sql`insert into orders (id, user_id, created_at, record) values (${order.id}, ${order.userId},
            ${order.createdAt}, ${json(Schema.encodeSync(Order)(order))}) on conflict do nothing returning id`,
        ),
      )
      for (const receipt of order.receipts)
        yield* query(
          "import receipt image",
          () => sql`insert into receipt_images (file_unique_id, order_id) values (${receipt.fileUniqueId}, ${order.id})
            on conflict do nothing`,
        )
    }
    for (const flags of yield* readJournal(join(recordsDir, "flags.jsonl"), StudentFlags, records.flags))
      tally(
        records.flags,
        yield* query(
          "import flags",
          () => sql`insert into student_flags (user_id, record) values (${flags.userId},
            ${json(Schema.encodeSync(StudentFlags)(flags))}) on conflict do nothing returning user_id`,
        ),
      )
    for (const broadcast of yield* readJournal(
      join(recordsDir, "broadcasts.jsonl"),
      Broadcast,
      records.broadcasts,
    )) {
      tally(
        records.broadcasts,
        yield* query(
          "import broadcast",
          () => sql`insert into broadcasts (id, status, created_at, record) values (${broadcast.id}, ${broadcast.status},
            ${broadcast.createdAt}, ${json(Schema.encodeSync(Broadcast)(broadcast))}) on conflict do nothing returning id`,
        ),
      )
      const path = join(recordsDir, `deliveries-${broadcast.id}.jsonl`)
      const text = yield* Effect.promise(() => readFile(path, "utf8").catch(() => ""))
      const states = new Map<string, unknown>()
      for (const line of text.split("\n")) {
        try {
          const parsed = JSON.parse(line) as { k: string; v?: unknown }
          states.set(parsed.k, parsed.v)
        } catch {}
      }
      for (const [userId, state] of states) {
        if (!Schema.is(DeliveryState)(state)) continue
        tally(
          records.deliveries,
          yield* query(
            "import delivery",
            () => sql`insert into broadcast_deliveries (broadcast_id, user_id, state)
              values (${broadcast.id}, ${Number(userId)}, ${state}) on conflict do nothing returning user_id`,
          ),
        )
      }
    }
    return records
  })

/** The report as an operator reads it: one line per kind, then each damaged file. */
export const describeImport = (report: ImportReport): string =>
  Object.entries({ students: report.students, drafts: report.drafts, ...report.records })
    .flatMap(([kind, count]: [string, Counts]) => [
      `${kind}: ${count.added} added, ${count.updated} updated, ${count.unchanged} unchanged, ${count.damaged.length} damaged`,
      ...count.damaged.map((line) => `  skipped ${line}`),
    ])
    .join("\n")
