import { Either, ParseResult, Schema } from "effect"
import { parsePersianName } from "../../domain/persian-name.ts"
import { normalizePersian } from "../../domain/persian-text.ts"
import { parsePhone } from "../../domain/phone.ts"
import { Student } from "../../domain/student.ts"

/**
 * The on-disk shape of `user_<id>.json`, shared with the older Python bot: snake_case fields,
 * ISO 8601 dates. Python wrote dates without a zone ("2024-01-15T10:30:00"); we read those as UTC.
 */
const StudentFileFields = Schema.Struct({
  user_id: Schema.Number,
  first_name: Schema.String,
  last_name: Schema.String,
  grade: Schema.String,
  major: Schema.String,
  province: Schema.String,
  city: Schema.String,
  phone: Schema.String,
  registration_date: Schema.String,
  last_updated: Schema.String,
})
export type StudentFile = typeof StudentFileFields.Type & Readonly<Record<string, unknown>>

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/

export const parseIsoDate = (text: string): Date | undefined => {
  if (!ISO_DATE.test(text)) return undefined
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) && text.length > 10
  // Python's isoformat() may give microseconds; JavaScript keeps milliseconds.
  const trimmed = text.replace(" ", "T").replace(/(\.\d{3})\d+/, "$1")
  const date = new Date(hasZone ? trimmed : `${trimmed.length === 10 ? `${trimmed}T00:00:00` : trimmed}Z`)
  return Number.isNaN(date.getTime()) ? undefined : date
}

// Built once: making a decoder is far slower than running one.
const decodeFields = Schema.decodeUnknownEither(StudentFileFields)
const decodeStudent = Schema.decodeUnknownEither(Student)

/** Reads a parsed file into a Student, tidying what the Python bot may have left (Arabic ي/ك, 09… phones). */
export const decodeStudentFile = (raw: unknown): Either.Either<Student, string> =>
  Either.gen(function* () {
    const file = yield* decodeFields(raw).pipe(
      Either.mapLeft((error) => ParseResult.TreeFormatter.formatErrorSync(error)),
    )
    const name = (text: string) => Either.mapLeft(parsePersianName(text), (e) => `name ${e.reason}`)
    const registrationDate = parseIsoDate(file.registration_date)
    const lastUpdated = parseIsoDate(file.last_updated)
    if (registrationDate === undefined || lastUpdated === undefined) return yield* Either.left("bad date")
    const candidate = {
      userId: file.user_id,
      profile: {
        firstName: yield* name(file.first_name),
        lastName: yield* name(file.last_name),
        grade: normalizePersian(file.grade),
        major: normalizePersian(file.major),
        province: normalizePersian(file.province),
        city: normalizePersian(file.city),
        phone: yield* Either.mapLeft(parsePhone(file.phone), () => "bad phone"),
      },
      registrationDate,
      lastUpdated,
    }
    return yield* decodeStudent(candidate).pipe(
      Either.mapLeft((error) => ParseResult.TreeFormatter.formatErrorSync(error)),
    )
  })

/**
 * Writes a Student in the shared shape. Fields this version does not know, and date texts that
 * still mean the same instant, are carried over from `previous` so that a rewrite loses nothing.
 */
export const encodeStudentFile = (
  student: Student,
  previous?: Readonly<Record<string, unknown>>,
): StudentFile => {
  const keepDate = (key: "registration_date" | "last_updated", date: Date): string => {
    const old = previous?.[key]
    return typeof old === "string" && parseIsoDate(old)?.getTime() === date.getTime()
      ? old
      : date.toISOString()
  }
  const { profile } = student
  return {
    ...previous,
    user_id: student.userId,
    first_name: profile.firstName,
    last_name: profile.lastName,
    grade: profile.grade,
    major: profile.major,
    province: profile.province,
    city: profile.city,
    phone: profile.phone,
    registration_date: keepDate("registration_date", student.registrationDate),
    last_updated: keepDate("last_updated", student.lastUpdated),
  }
}
