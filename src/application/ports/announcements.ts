import { Context, type Effect } from "effect"
import type { Student } from "../../domain/student.ts"

/** Tells the admins about new students: the first at once, then at most one message per interval. */
export class Announcements extends Context.Tag("Announcements")<
  Announcements,
  { readonly registered: (student: Student) => Effect.Effect<void> }
>() {}
