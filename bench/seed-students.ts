import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import iran from "../data/iran.json" with { type: "json" }

const FIRST = ["علی", "سارا", "محمد", "زهرا", "رضا", "مریم", "حسین", "فاطمه"]
const LAST = ["رضایی", "احمدی", "کریمی", "حسینی", "موسوی", "محمدی"]

/** A registered student's file, in the shape the bot (and the older Python bot) writes. */
export const seedStudentFile = (userId: number, index: number): string => {
  const province = iran.provinces[index % iran.provinces.length] ?? { name: "تهران", cities: ["تهران"] }
  const date = new Date(Date.UTC(2025, 8, 1) + index * 60_000).toISOString()
  return `${JSON.stringify(
    {
      user_id: userId,
      first_name: FIRST[index % FIRST.length],
      last_name: LAST[index % LAST.length],
      grade: iran.grades[index % iran.grades.length],
      major: iran.majors[index % iran.majors.length],
      province: province.name,
      city: province.cities[0],
      phone: `+98912${String(index % 10_000_000).padStart(7, "0")}`,
      registration_date: date,
      last_updated: date,
    },
    null,
    2,
  )}\n`
}

/** Writes `count` registered students (ids firstId…) into `directory` as user_<id>.json files. */
export const seedStudents = async (directory: string, count: number, firstId = 1_000_000): Promise<void> => {
  await mkdir(directory, { recursive: true, mode: 0o700 })
  let next = 0
  const worker = async () => {
    while (next < count) {
      const index = next++
      const id = firstId + index
      await writeFile(join(directory, `user_${id}.json`), seedStudentFile(id, index), { mode: 0o600 })
    }
  }
  await Promise.all(Array.from({ length: 32 }, worker))
}
