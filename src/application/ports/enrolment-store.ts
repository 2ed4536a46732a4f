import { Context, type Effect } from "effect"
import type { Enrolment, EnrolOutcome } from "../../domain/enrolment.ts"
import type { UserId } from "../../domain/student.ts"
import type { StorageError } from "./storage-error.ts"

/** Seats in the free classes. */
export class EnrolmentStore extends Context.Tag("EnrolmentStore")<
  EnrolmentStore,
  {
    /** Atomic: the capacity check and the seat are one step (capacity 0 = no limit); durable before it resolves. */
    readonly enrol: (enrolment: Enrolment, capacity: number) => Effect.Effect<EnrolOutcome, StorageError>
    /** False when the student had no seat. */
    readonly leave: (userId: UserId, courseId: string) => Effect.Effect<boolean, StorageError>
    readonly ofStudent: (userId: UserId) => Effect.Effect<ReadonlyArray<Enrolment>, StorageError>
    readonly seats: (courseId: string) => Effect.Effect<number, StorageError>
    readonly all: Effect.Effect<ReadonlyArray<Enrolment>, StorageError>
  }
>() {}
