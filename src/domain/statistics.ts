import { GRADES, type Grade, MAJORS, type Major } from "./school.ts"

export type StatisticsInput = {
  readonly grade: Grade
  readonly major: Major
  readonly province: string
  readonly registrationDate: Date
}

export type Statistics = {
  readonly total: number
  readonly byGrade: ReadonlyArray<readonly [Grade, number]>
  readonly byMajor: ReadonlyArray<readonly [Major, number]>
  /** Every grade with every major, in the order of GRADES then MAJORS. */
  readonly byGradeAndMajor: ReadonlyArray<readonly [Grade, Major, number]>
  /** Most students first. */
  readonly byProvince: ReadonlyArray<readonly [string, number]>
  /** The last `days` days in Tehran time, oldest first, as YYYY-MM-DD. */
  readonly perDay: ReadonlyArray<readonly [string, number]>
  readonly pendingReceipts: number
}

/** Iran has kept standard time (UTC+03:30) all year since 2022. */
const TEHRAN_OFFSET_MS = 3.5 * 3600 * 1000
const DAY_MS = 24 * 3600 * 1000

export const tehranDay = (date: Date): string =>
  new Date(date.getTime() + TEHRAN_OFFSET_MS).toISOString().slice(0, 10)

export const computeStatistics = (
  students: Iterable<StatisticsInput>,
  now: Date,
  pendingReceipts: number,
  days = 14,
): Statistics => {
  const grades = new Map<Grade, number>(GRADES.map((grade) => [grade, 0]))
  const majors = new Map<Major, number>(MAJORS.map((major) => [major, 0]))
  const provinces = new Map<string, number>()
  const pairs = new Map<string, number>()
  const dayKeys = Array.from({ length: days }, (_, index) =>
    tehranDay(new Date(now.getTime() - (days - 1 - index) * DAY_MS)),
  )
  const perDay = new Map<string, number>(dayKeys.map((day) => [day, 0]))
  // Only recent registrations need their day: a number comparison spares 100 000 date formattings.
  const recent = now.getTime() - (days + 1) * DAY_MS
  let total = 0
  for (const student of students) {
    total++
    grades.set(student.grade, (grades.get(student.grade) ?? 0) + 1)
    majors.set(student.major, (majors.get(student.major) ?? 0) + 1)
    provinces.set(student.province, (provinces.get(student.province) ?? 0) + 1)
    const pair = `${student.grade}|${student.major}`
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1)
    if (student.registrationDate.getTime() < recent) continue
    const day = tehranDay(student.registrationDate)
    const count = perDay.get(day)
    if (count !== undefined) perDay.set(day, count + 1)
  }
  return {
    total,
    byGrade: [...grades],
    byMajor: [...majors],
    byGradeAndMajor: GRADES.flatMap((grade) =>
      MAJORS.map((major) => [grade, major, pairs.get(`${grade}|${major}`) ?? 0] as const),
    ),
    byProvince: [...provinces].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "fa")),
    perDay: [...perDay],
    pendingReceipts,
  }
}
