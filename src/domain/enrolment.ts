import { Schema } from "effect"
import { UserId } from "./student.ts"

/** A seat in a free class. Paid courses are approved orders, not enrolments. */
export const Enrolment = Schema.Struct({
  userId: UserId,
  courseId: Schema.String,
  enrolledAt: Schema.Date,
})
export type Enrolment = typeof Enrolment.Type

export type EnrolOutcome = "Enrolled" | "AlreadyEnrolled" | "Full"

/** What enrolling would do, given the class's current seats; capacity 0 means no limit. */
export const enrolOutcome = (
  seats: ReadonlyArray<{ readonly userId: number }>,
  userId: number,
  capacity: number,
): EnrolOutcome => {
  if (seats.some((seat) => seat.userId === userId)) return "AlreadyEnrolled"
  return capacity === 0 || seats.length < capacity ? "Enrolled" : "Full"
}
