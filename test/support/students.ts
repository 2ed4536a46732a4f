import { Schema } from "effect"
import { Profile, registerStudent, type Student, UserId } from "../../src/domain/student.ts"

/** A registered student with a valid profile; grade and names can be changed. */
export const aStudent = (
  id: number,
  changes: Partial<Record<keyof typeof Profile.Type, string>> = {},
  registered = new Date("2026-11-20T08:00:00Z"),
): Student =>
  registerStudent(
    UserId.make(id),
    Schema.decodeUnknownSync(Profile)({
      firstName: "علی",
      lastName: "رضایی",
      grade: "دوازدهم",
      major: "ریاضی",
      province: "فارس",
      city: "شیراز",
      phone: "+989121234567",
      ...changes,
    }),
    registered,
  )
