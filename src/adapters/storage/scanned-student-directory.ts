import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect, Layer, Stream } from "effect"
import { StudentDirectory, summaryOf } from "../../application/ports/student-directory.ts"
import { StorageError } from "../../application/ports/student-repository.ts"
import type { Student } from "../../domain/student.ts"
import { decodeStudentFile } from "./student-file.ts"

const listIds = (directory: string) =>
  Effect.tryPromise({
    try: async () =>
      (await readdir(directory).catch(() => [] as Array<string>))
        .flatMap((name) => {
          const match = /^user_(\d+)\.json$/.exec(name)
          return match === null ? [] : [Number(match[1])]
        })
        .sort((a, b) => a - b),
    catch: (error) => new StorageError({ operation: "list", detail: String(error) }),
  })

/** A student file that cannot be read or decoded is left out of scans (the repository reports it on access). */
const readStudent = (directory: string, id: number): Promise<Student | undefined> =>
  readFile(join(directory, `user_${id}.json`), "utf8").then(
    (text) => {
      try {
        const decoded = decodeStudentFile(JSON.parse(text))
        return decoded._tag === "Right" ? decoded.right : undefined
      } catch {
        return undefined
      }
    },
    () => undefined,
  )

/**
 * StudentDirectory by reading every student file on each request: correct and simple, fine for a few
 * thousand students. [storage]'s indexed directory replaces it for large classes.
 */
export const ScannedStudentDirectory = (directory: string) =>
  Layer.succeed(
    StudentDirectory,
    StudentDirectory.of({
      count: Effect.map(listIds(directory), (ids) => ids.length),
      summaries: Effect.flatMap(listIds(directory), (ids) =>
        Effect.tryPromise({
          try: async () => {
            const students: Array<Student> = []
            for (let index = 0; index < ids.length; index += 64) {
              const batch = await Promise.all(
                ids.slice(index, index + 64).map((id) => readStudent(directory, id)),
              )
              for (const student of batch) if (student !== undefined) students.push(student)
            }
            return students.map(summaryOf)
          },
          catch: (error) => new StorageError({ operation: "scan", detail: String(error) }),
        }),
      ),
      students: Stream.fromIterableEffect(listIds(directory)).pipe(
        Stream.mapEffect((id) => Effect.promise(() => readStudent(directory, id)), { concurrency: 16 }),
        Stream.filter((student): student is Student => student !== undefined),
      ),
    }),
  )
