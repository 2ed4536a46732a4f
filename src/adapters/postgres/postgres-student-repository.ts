import { Chunk, Effect, Layer, Option, Stream } from "effect"
import type postgres from "postgres"
import { StorageError } from "../../application/ports/storage-error.ts"
import { StudentDirectory, type StudentSummary } from "../../application/ports/student-directory.ts"
import { StudentRepository } from "../../application/ports/student-repository.ts"
import type { Student, UserId } from "../../domain/student.ts"
import { decodeStudentFile, encodeStudentFile } from "../common/student-file.ts"
import { type Connection, Database, forget, makeQueries, prefetched } from "./database.ts"

type StudentRow = {
  user_id: number
  first_name: string
  last_name: string
  grade: string
  major: string
  province: string
  city: string
  phone: string
  registration_date: Date
  last_updated: Date
}

/** The columns of `students`: the fields of a student file, no more. */
export const STUDENT_COLUMNS = [
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
] as const

/** A row is read like a student file: the same fields, the same validation. */
export const studentFromRow = (row: StudentRow): Effect.Effect<Student, StorageError> => {
  const decoded = decodeStudentFile({
    ...row,
    registration_date: row.registration_date.toISOString(),
    last_updated: row.last_updated.toISOString(),
  })
  return decoded._tag === "Right"
    ? Effect.succeed(decoded.right)
    : Effect.fail(
        new StorageError({ operation: "decode", detail: `student ${row.user_id}: ${decoded.left}` }),
      )
}

export const rowOf = (student: Student): StudentRow => {
  const file = encodeStudentFile(student)
  return { ...file, registration_date: student.registrationDate, last_updated: student.lastUpdated }
}

/** Inserts or replaces a student; `extra` (unknown imported fields) is kept on an update. */
export const upsertStudent = (sql: Connection, row: StudentRow, extra: Record<string, unknown> = {}) =>
  sql`insert into students ${sql({ ...row, extra: sql.json(extra as postgres.JSONValue) })}
      on conflict (user_id) do update set
        first_name = excluded.first_name, last_name = excluded.last_name, grade = excluded.grade,
        major = excluded.major, province = excluded.province, city = excluded.city, phone = excluded.phone,
        registration_date = excluded.registration_date, last_updated = excluded.last_updated`

const PAGE = 500

export const makePostgresStudentStorage = Effect.gen(function* () {
  const { sql } = yield* Database
  const db = makeQueries(sql)
  const repository = StudentRepository.of({
    find: (id: UserId) =>
      Effect.flatMap(prefetched("student", id), (pre) =>
        pre !== undefined
          ? pre === null
            ? Effect.succeed(Option.none())
            : Effect.map(studentFromRow(pre as StudentRow), Option.some)
          : db
              .query(
                "read",
                (sql) =>
                  sql<Array<StudentRow>>`select ${sql(STUDENT_COLUMNS)} from students where user_id = ${id}`,
              )
              .pipe(
                Effect.flatMap((rows) => {
                  const row = rows[0]
                  return row === undefined
                    ? Effect.succeed(Option.none())
                    : Effect.map(studentFromRow(row), Option.some)
                }),
              ),
      ),
    save: (student: Student) =>
      db
        .query("write", (sql) => upsertStudent(sql, rowOf(student)))
        .pipe(Effect.zipRight(forget("student", student.userId))),
  })
  const directory = StudentDirectory.of({
    count: db
      .query("count", (sql) => sql`select count(*)::int as count from students`)
      .pipe(Effect.map((rows) => Number(rows[0]?.count ?? 0))),
    summaries: db
      .query(
        "summaries",
        (sql) => sql<
          Array<{ user_id: number; grade: string; major: string; province: string; registration_date: Date }>
        >`
        select user_id, grade, major, province, registration_date from students order by user_id`,
      )
      .pipe(
        Effect.map((rows) =>
          rows.map(
            (row): StudentSummary => ({
              userId: row.user_id as UserId,
              grade: row.grade as StudentSummary["grade"],
              major: row.major as StudentSummary["major"],
              province: row.province,
              registrationDate: row.registration_date,
            }),
          ),
        ),
      ),
    // Pages by user id (keyset): no transaction or cursor stays open while the consumer is slow.
    students: Stream.paginateChunkEffect(0, (after: number) =>
      db
        .query(
          "list",
          (sql) =>
            sql<Array<StudentRow>>`select ${sql(STUDENT_COLUMNS)} from students where user_id > ${after}
            order by user_id limit ${PAGE}`,
        )
        .pipe(
          Effect.flatMap((rows) => Effect.forEach(rows, studentFromRow)),
          Effect.map((students) => {
            const last = students.at(-1)
            return [
              Chunk.fromIterable(students),
              students.length === PAGE && last !== undefined
                ? Option.some<number>(last.userId)
                : Option.none<number>(),
            ] as const
          }),
        ),
    ),
  })
  return { repository, directory }
})

export const PostgresStudentRepository = Layer.effect(
  StudentRepository,
  Effect.map(makePostgresStudentStorage, (storage) => storage.repository),
)

export const PostgresStudentDirectory = Layer.effect(
  StudentDirectory,
  Effect.map(makePostgresStudentStorage, (storage) => storage.directory),
)
