import { mkdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect, Layer, Option } from "effect"
import { StorageError, StudentRepository } from "../../application/ports/student-repository.ts"
import type { Student, UserId } from "../../domain/student.ts"
import { writeFileAtomically } from "./atomic-write.ts"
import { decodeStudentFile, encodeStudentFile } from "./student-file.ts"

export const studentPath = (directory: string, id: number): string => join(directory, `user_${id}.json`)

const readJson = async (path: string): Promise<Record<string, unknown> | undefined> => {
  try {
    return JSON.parse(await readFile(path, "utf8"))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined
    throw error
  }
}

/** One JSON file per student in `directory`, compatible with the older Python bot's files. */
export const makeFileStudentRepository = (directory: string) =>
  Effect.gen(function* () {
    yield* Effect.tryPromise({
      try: () => mkdir(directory, { recursive: true, mode: 0o700 }),
      catch: (error) => new StorageError({ operation: "open", detail: String(error) }),
    })
    const find = (id: UserId) =>
      Effect.tryPromise({
        try: () => readJson(studentPath(directory, id)),
        catch: (error) => new StorageError({ operation: "read", detail: String(error) }),
      }).pipe(
        Effect.flatMap((raw) => {
          if (raw === undefined) return Effect.succeed(Option.none<Student>())
          const decoded = decodeStudentFile(raw)
          return decoded._tag === "Right"
            ? Effect.succeed(Option.some(decoded.right))
            : Effect.fail(
                new StorageError({ operation: "decode", detail: `user_${id}.json: ${decoded.left}` }),
              )
        }),
      )
    const save = (student: Student) =>
      Effect.tryPromise({
        try: async () => {
          const path = studentPath(directory, student.userId)
          const previous = await readJson(path).catch(() => undefined)
          await writeFileAtomically(
            path,
            `${JSON.stringify(encodeStudentFile(student, previous), null, 2)}\n`,
          )
        },
        catch: (error) => new StorageError({ operation: "write", detail: String(error) }),
      })
    return StudentRepository.of({ find, save })
  })

export const FileStudentRepository = (directory: string) =>
  Layer.effect(StudentRepository, makeFileStudentRepository(directory))
