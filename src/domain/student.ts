import { Schema } from "effect"
import { City, isCityOf, Province } from "./geography.ts"
import { PersianName } from "./persian-name.ts"
import { IranianMobile } from "./phone.ts"
import { Grade, Major } from "./school.ts"

export const UserId = Schema.Number.pipe(Schema.int(), Schema.positive(), Schema.brand("UserId"))
export type UserId = typeof UserId.Type

/** What a student tells us during registration; every field already validated. */
export const Profile = Schema.Struct({
  firstName: PersianName,
  lastName: PersianName,
  grade: Grade,
  major: Major,
  province: Province,
  city: City,
  phone: IranianMobile,
}).pipe(
  Schema.filter((profile) => isCityOf(profile.province, profile.city) || "the city is not in that province"),
)
export type Profile = typeof Profile.Type

/** A registered student. */
export const Student = Schema.Struct({
  userId: UserId,
  profile: Profile,
  registrationDate: Schema.DateFromSelf,
  lastUpdated: Schema.DateFromSelf,
})
export type Student = typeof Student.Type

export const registerStudent = (userId: UserId, profile: Profile, now: Date): Student => ({
  userId,
  profile,
  registrationDate: now,
  lastUpdated: now,
})

export const updateProfile = (student: Student, profile: Profile, now: Date): Student => ({
  ...student,
  profile,
  lastUpdated: now,
})

export const sameProfile = (a: Profile, b: Profile): boolean =>
  a.firstName === b.firstName &&
  a.lastName === b.lastName &&
  a.grade === b.grade &&
  a.major === b.major &&
  a.province === b.province &&
  a.city === b.city &&
  a.phone === b.phone

export const fullName = (profile: Pick<Profile, "firstName" | "lastName">): string =>
  `${profile.firstName} ${profile.lastName}`
