import { writeFile } from "node:fs/promises"
import { join } from "node:path"

const GRADES = ["دهم", "یازدهم", "دوازدهم"] as const

/** Writes students as the bot (or the older Python bot) stores them: user_<id>.json in USERS_DIR. */
export const writeStudentFiles = async (
  usersDir: string,
  ids: ReadonlyArray<number>,
  gradeOf: (id: number) => (typeof GRADES)[number] = (id) => GRADES[id % 3] ?? "دهم",
) => {
  for (const id of ids) {
    await writeFile(
      join(usersDir, `user_${id}.json`),
      JSON.stringify({
        user_id: id,
        first_name: "علی",
        last_name: "رضایی",
        grade: gradeOf(id),
        major: "ریاضی",
        province: "فارس",
        city: "شیراز",
        phone: "+989121234567",
        registration_date: "2026-11-20T08:00:00Z",
        last_updated: "2026-11-20T08:00:00Z",
      }),
    )
  }
}
