import { Duration, Effect, Layer, Queue } from "effect"
import { toPersianDigits } from "../../domain/digits.ts"
import { fullName, type Student } from "../../domain/student.ts"
import { Admins } from "../ports/admins.ts"
import { Announcements } from "../ports/announcements.ts"
import { Messenger } from "../ports/messenger.ts"
import { ADMIN_TEXTS } from "./admin-texts.ts"

const MAX_LINES = 30

const lineOf = ({ profile }: Student) =>
  ADMIN_TEXTS.studentLine(fullName(profile), profile.grade, profile.major, profile.province, profile.city)

export const announcementText = (students: ReadonlyArray<Student>): string => {
  const [only] = students
  if (students.length === 1 && only !== undefined) return ADMIN_TEXTS.newRegistration(lineOf(only))
  const more = students.length - MAX_LINES
  return ADMIN_TEXTS.newRegistrations(
    toPersianDigits(students.length),
    students.slice(0, MAX_LINES).map(lineOf),
    more > 0 ? toPersianDigits(more) : "",
  )
}

/** Lives as long as the bot; what is queued when it stops is not announced (a notice, not a record). */
export const AnnouncementsLive = (
  intervalSeconds: number,
): Layer.Layer<Announcements, never, Messenger | Admins> =>
  Layer.scoped(
    Announcements,
    Effect.gen(function* () {
      const queue = yield* Queue.unbounded<Student>()
      const messenger = yield* Messenger
      const { ids } = yield* Admins
      const announce = (students: ReadonlyArray<Student>) =>
        Effect.forEach(
          ids,
          (admin) =>
            messenger
              .send(admin, { text: announcementText(students) })
              .pipe(
                Effect.catchAll((error) =>
                  Effect.logWarning(`could not announce to admin ${admin}`, error.detail),
                ),
              ),
          { discard: true },
        )
      const loop = Effect.gen(function* () {
        const first = yield* Queue.take(queue)
        const rest = yield* Queue.takeAll(queue)
        yield* announce([first, ...rest])
        yield* Effect.sleep(Duration.seconds(intervalSeconds))
      }).pipe(Effect.forever)
      if (ids.length > 0) yield* Effect.forkScoped(loop)
      return Announcements.of({
        registered: (student) =>
          ids.length === 0 ? Effect.void : Effect.asVoid(Queue.offer(queue, student)),
      })
    }),
  )
