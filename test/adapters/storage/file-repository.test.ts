import assert from "node:assert/strict"
import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Effect, Option, Schema } from "effect"
import { makeFileStudentRepository, studentPath } from "../../../src/adapters/storage/file-repository.ts"
import { parseIsoDate } from "../../../src/adapters/storage/student-file.ts"
import { Profile, registerStudent, UserId, updateProfile } from "../../../src/domain/student.ts"

const legacy = {
  user_id: 42,
  first_name: "علي",
  last_name: "كريمی",
  grade: "دهم",
  major: "ریاضی",
  province: "تهران",
  city: "تهران",
  phone: "+989121234567",
  registration_date: "2024-01-15T10:30:00",
  last_updated: "2024-01-16T11:00:00.123456",
  telegram_username: "ali_k",
}

const directory = () => mkdtemp(join(tmpdir(), "users-"))

describe("file student repository", () => {
  it("reads a file written by the older Python bot", async () => {
    const dir = await directory()
    await writeFile(studentPath(dir, 42), JSON.stringify(legacy, null, 2))
    const repo = await Effect.runPromise(makeFileStudentRepository(dir))
    const found = await Effect.runPromise(repo.find(UserId.make(42)))
    assert.ok(Option.isSome(found))
    assert.equal(found.value.profile.firstName, "علی")
    assert.equal(found.value.profile.lastName, "کریمی")
    assert.equal(found.value.registrationDate.toISOString(), "2024-01-15T10:30:00.000Z")
  })

  it("rewrites a legacy file without losing unknown fields or the original dates", async () => {
    const dir = await directory()
    await writeFile(studentPath(dir, 42), JSON.stringify(legacy, null, 2))
    const repo = await Effect.runPromise(makeFileStudentRepository(dir))
    const found = Option.getOrThrow(await Effect.runPromise(repo.find(UserId.make(42))))
    const later = new Date("2026-11-25T09:00:00Z")
    await Effect.runPromise(repo.save(updateProfile(found, { ...found.profile, grade: "یازدهم" }, later)))
    const text = await readFile(studentPath(dir, 42), "utf8")
    const written = JSON.parse(text)
    assert.equal(written.telegram_username, "ali_k")
    assert.equal(written.registration_date, "2024-01-15T10:30:00")
    assert.equal(written.last_updated, "2026-11-25T09:00:00.000Z")
    assert.equal(written.grade, "یازدهم")
    assert.ok(text.includes("علی"), "Persian is stored as UTF-8, not \\u escapes")
    assert.ok(text.startsWith('{\n  "user_id"'), "2-space indentation")
    assert.equal((await stat(studentPath(dir, 42))).mode & 0o777, 0o600)
    assert.deepEqual(
      (await readdir(dir)).filter((name) => name.endsWith(".tmp")),
      [],
    )
  })

  it("writes exactly the shared fields for a new student", async () => {
    const dir = await directory()
    const repo = await Effect.runPromise(makeFileStudentRepository(dir))
    const profile = Schema.decodeUnknownSync(Profile)({
      firstName: "مریم",
      lastName: "احمدی",
      grade: "دوازدهم",
      major: "تجربی",
      province: "فارس",
      city: "شیراز",
      phone: "+989351112233",
    })
    const now = new Date("2026-11-25T08:00:00Z")
    await Effect.runPromise(repo.save(registerStudent(UserId.make(9), profile, now)))
    const written = JSON.parse(await readFile(studentPath(dir, 9), "utf8"))
    assert.deepEqual(written, {
      user_id: 9,
      first_name: "مریم",
      last_name: "احمدی",
      grade: "دوازدهم",
      major: "تجربی",
      province: "فارس",
      city: "شیراز",
      phone: "+989351112233",
      registration_date: "2026-11-25T08:00:00.000Z",
      last_updated: "2026-11-25T08:00:00.000Z",
    })
    assert.deepEqual(Option.getOrThrow(await Effect.runPromise(repo.find(UserId.make(9)))).profile, profile)
  })

  it("reports a file that is not valid as a storage error", async () => {
    const dir = await directory()
    await writeFile(studentPath(dir, 7), "{ not json")
    const repo = await Effect.runPromise(makeFileStudentRepository(dir))
    const result = await Effect.runPromise(Effect.either(repo.find(UserId.make(7))))
    assert.equal(result._tag, "Left")
  })

  it("parses ISO dates with and without a zone", () => {
    assert.equal(parseIsoDate("2024-01-15T10:30:00")?.toISOString(), "2024-01-15T10:30:00.000Z")
    assert.equal(parseIsoDate("2024-01-15T10:30:00+03:30")?.toISOString(), "2024-01-15T07:00:00.000Z")
    assert.equal(parseIsoDate("2024-01-15 10:30:00.123456")?.toISOString(), "2024-01-15T10:30:00.123Z")
    assert.equal(parseIsoDate("yesterday"), undefined)
  })
})
