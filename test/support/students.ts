import { Schema } from "effect"
import { Profile, registerStudent, type Student, UserId, updateProfile } from "../../src/domain/student.ts"

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

export const profile = Schema.decodeUnknownSync(Profile)({
  firstName: "مریم",
  lastName: "احمدی",
  grade: "دوازدهم",
  major: "تجربی",
  province: "فارس",
  city: "شیراز",
  phone: "+989351112233",
})

/** A valid student; `version` goes into lastUpdated (ms after the registration) to tell saves apart. */
export const student = (id: number, version = 0, grade: Profile["grade"] = "دوازدهم"): Student => {
  const registered = registerStudent(UserId.make(id), profile, new Date("2026-11-25T08:00:00Z"))
  return updateProfile(
    registered,
    { ...profile, grade },
    new Date(registered.registrationDate.getTime() + version),
  )
}

export const versionOf = (file: { registration_date: string; last_updated: string }): number =>
  new Date(file.last_updated).getTime() - new Date(file.registration_date).getTime()
