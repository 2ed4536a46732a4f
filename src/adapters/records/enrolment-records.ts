import { Effect } from "effect"
import type { EnrolmentStore } from "../../application/ports/enrolment-store.ts"
import { type Enrolment, enrolOutcome } from "../../domain/enrolment.ts"
import type { Table } from "./table.ts"

export const enrolmentKey = (userId: number, courseId: string): string => `${courseId}:${userId}`

/** EnrolmentStore over a table of seats keyed by class and student. */
export const enrolmentRecords = (table: Table<Enrolment>): EnrolmentStore["Type"] => {
  const seatsOf = (rows: ReadonlyMap<string, Enrolment>, courseId: string) =>
    [...rows.values()].filter((seat) => seat.courseId === courseId)
  return {
    enrol: (enrolment, capacity) =>
      table.transact((rows) => {
        const outcome = enrolOutcome(seatsOf(rows, enrolment.courseId), enrolment.userId, capacity)
        return outcome === "Enrolled"
          ? { result: outcome, changes: [[enrolmentKey(enrolment.userId, enrolment.courseId), enrolment]] }
          : { result: outcome }
      }),
    leave: (userId, courseId) =>
      table.transact((rows) => {
        const key = enrolmentKey(userId, courseId)
        return rows.has(key) ? { result: true, changes: [[key, undefined]] } : { result: false }
      }),
    ofStudent: (userId) =>
      Effect.map(table.values, (seats) =>
        seats
          .filter((seat) => seat.userId === userId)
          .sort((a, b) => a.enrolledAt.getTime() - b.enrolledAt.getTime()),
      ),
    seats: (courseId) => Effect.sync(() => seatsOf(table.rows, courseId).length),
    all: table.values,
  }
}
