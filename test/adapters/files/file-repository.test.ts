import assert from "node:assert/strict"
import { copyFile, readdir, readFile, stat, unlink, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Chunk, Effect, Either, Option, Stream } from "effect"
import { parseIsoDate } from "../../../src/adapters/common/student-file.ts"
import { makeStudentIndex } from "../../../src/adapters/files/student-index.ts"
import { INDEX_SNAPSHOT, studentPath } from "../../../src/adapters/files/student-records.ts"
import { UserId, updateProfile } from "../../../src/domain/student.ts"
import { openFileStorage, usersDirectory } from "../../support/file-storage.ts"
import { student, versionOf } from "../../support/students.ts"

const FIXTURES = join(import.meta.dirname, "../../fixtures/legacy")

const legacyFixtures = async (dir: string) => {
  const names = (await readdir(FIXTURES)).filter((name) => name.endsWith(".json"))
  for (const name of names) await copyFile(join(FIXTURES, name), join(dir, name))
  return names
}

const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"))

describe("file student repository", () => {
  it("reads the Python version's files (no time zone, extra fields) and rewrites them without loss", async () => {
    const dir = await usersDirectory()
    const names = await legacyFixtures(dir)
    const storage = await openFileStorage(dir)
    for (const name of names) {
      const id = UserId.make(Number(/\d+/.exec(name)?.[0]))
      const original = await readJson(join(FIXTURES, name))
      const found = Option.getOrThrow(await storage.run(storage.repository.find(id)))
      assert.equal(found.registrationDate.getTime(), parseIsoDate(original.registration_date)?.getTime())
      // Rewriting with a change keeps every field this version does not know, and the old date text.
      const later = new Date("2026-11-25T09:00:00Z")
      await storage.run(
        storage.repository.save(updateProfile(found, { ...found.profile, grade: "دهم" }, later)),
      )
      const written = await readJson(studentPath(dir, id))
      const known = ["first_name", "last_name", "grade", "phone", "last_updated"]
      for (const [key, value] of Object.entries(original)) {
        if (!known.includes(key)) assert.deepEqual(written[key], value, `${name}: ${key} kept`)
      }
      assert.equal(written.grade, "دهم")
      assert.equal(written.last_updated, "2026-11-25T09:00:00.000Z")
      assert.match(written.phone, /^\+989\d{9}$/)
    }
    const ali = await readJson(studentPath(dir, 101))
    assert.equal(ali.first_name, "علی", "Arabic letters tidied to Persian")
    assert.equal(ali.registration_date, "2024-01-15T10:30:00")
    const text = await readFile(studentPath(dir, 101), "utf8")
    assert.ok(text.includes("علی") && text.startsWith('{\n  "user_id"'), "UTF-8, two-space indentation")
    assert.equal((await stat(studentPath(dir, 101))).mode & 0o777, 0o600)
    assert.equal((await stat(dir)).mode & 0o777, 0o700)
    await storage.close()
  })

  it("writes exactly the shared fields for a new student", async () => {
    const dir = await usersDirectory()
    const storage = await openFileStorage(dir)
    await storage.run(storage.repository.save(student(9)))
    assert.deepEqual(await readJson(studentPath(dir, 9)), {
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
    assert.deepEqual(
      Option.getOrThrow(await storage.run(storage.repository.find(UserId.make(9)))),
      student(9),
    )
    await storage.close()
  })

  it("sets a damaged file aside as *.corrupt with an error ID, then forgets the student", async () => {
    const dir = await usersDirectory()
    await writeFile(studentPath(dir, 7), "{ not json")
    await writeFile(
      studentPath(dir, 8),
      (await readFile(join(FIXTURES, "user_103.json"), "utf8"))
        .replace("103", "8")
        .replace("+989131234567", "12"),
    )
    const storage = await openFileStorage(dir)
    for (const id of [7, 8]) {
      const result = await storage.run(Effect.either(storage.repository.find(UserId.make(id))))
      assert.ok(Either.isLeft(result) && result.left._tag === "StudentRecordDamaged")
      const aside = (await readdir(dir)).filter((name) => name.startsWith(`user_${id}.json.`))
      assert.deepEqual(aside, [`user_${id}.json.${result.left.errorId}.corrupt`])
      assert.ok(Option.isNone(await storage.run(storage.repository.find(UserId.make(id)))))
    }
    const kept = (await readdir(dir)).filter((name) => name.startsWith("user_7.json."))
    assert.equal(await readFile(join(dir, String(kept[0])), "utf8"), "{ not json", "kept byte for byte")
    // Registering again works, and the damaged copy stays for a person to look at.
    await storage.run(storage.repository.save(student(7)))
    assert.ok(Option.isSome(await storage.run(storage.repository.find(UserId.make(7)))))
    assert.equal(await storage.run(storage.directory.count), 1)
    await storage.close()
  })

  it("keeps a damaged file aside when a save replaces it", async () => {
    const dir = await usersDirectory()
    await writeFile(studentPath(dir, 5), "[]")
    const storage = await openFileStorage(dir)
    await storage.run(storage.repository.save(student(5)))
    assert.equal((await readdir(dir)).filter((name) => name.endsWith(".corrupt")).length, 1)
    assert.equal((await readJson(studentPath(dir, 5))).user_id, 5)
    await storage.close()
  })

  it("1000 concurrent edits of one student leave one valid file: the last write wins", async () => {
    const dir = await usersDirectory()
    const storage = await openFileStorage(dir)
    const finished: Array<number> = []
    await storage.run(
      Effect.forEach(
        Array.from({ length: 1000 }, (_, version) => version),
        (version) =>
          Effect.tap(storage.repository.save(student(1, version, version % 2 === 0 ? "دهم" : "یازدهم")), () =>
            finished.push(version),
          ),
        { concurrency: "unbounded", discard: true },
      ),
    )
    const file = await readJson(studentPath(dir, 1))
    assert.equal(finished.length, 1000, "every save acknowledged")
    assert.equal(versionOf(file), 999, "the file holds the save asked last")
    assert.equal(file.grade, "یازدهم")
    assert.deepEqual(await readdir(dir), [".lock", "drafts", "user_1.json"])
    const summaries = await storage.run(storage.directory.summaries)
    assert.deepEqual(
      summaries.map((s) => [s.userId, s.grade]),
      [[1, "یازدهم"]],
    )
    await storage.close()
  })

  it("counts, summarises and exports from the index, restored from its snapshot after a restart", async () => {
    const dir = await usersDirectory()
    await legacyFixtures(dir)
    let storage = await openFileStorage(dir)
    await storage.run(
      Effect.forEach([30, 10, 20], (id) => storage.repository.save(student(id)), { discard: true }),
    )
    assert.equal(await storage.run(storage.directory.count), 6)
    const exported = await storage.run(Stream.runCollect(storage.directory.students))
    assert.deepEqual(
      Chunk.toArray(exported).map((s) => s.userId),
      [10, 20, 30, 101, 102, 103],
    )
    await storage.close()
    assert.equal(makeStudentIndex().restore(await readFile(join(dir, INDEX_SNAPSHOT))), 6, "snapshot saved")

    // While stopped: one file removed, one changed, one added, and a crash's temporary file left.
    await unlink(studentPath(dir, 10))
    await writeFile(
      studentPath(dir, 20),
      JSON.stringify({ ...(await readJson(studentPath(dir, 20))), grade: "دهم" }),
    )
    await writeFile(
      studentPath(dir, 40),
      JSON.stringify(await readJson(studentPath(dir, 30))).replace('"user_id":30', '"user_id":40'),
    )
    await writeFile(join(dir, ".user_30.json.ABCDEFGH.tmp"), '{"half": ')
    storage = await openFileStorage(dir)
    const summaries = await storage.run(storage.directory.summaries)
    assert.ok(!(await readdir(dir)).some((name) => name.endsWith(".tmp")), "leftover temporary file removed")
    assert.deepEqual(
      [...summaries].sort((a, b) => a.userId - b.userId).map((s) => [s.userId, s.grade]),
      [
        [20, "دهم"],
        [30, "دوازدهم"],
        [40, "دوازدهم"],
        [101, "دهم"],
        [102, "دوازدهم"],
        [103, "یازدهم"],
      ],
    )
    await storage.close()
  })

  it("exports every readable student in id order, leaving a damaged file out", async () => {
    const dir = await usersDirectory()
    const storage = await openFileStorage(dir)
    await storage.run(
      Effect.forEach([3, 1, 2], (id) => storage.repository.save(student(id)), { discard: true }),
    )
    await writeFile(studentPath(dir, 2), "{")
    const exported = await storage.run(Stream.runCollect(storage.directory.students))
    assert.deepEqual(
      Chunk.toArray(exported).map((s) => s.userId),
      [1, 3],
    )
    await storage.close()
  })

  it("parses ISO dates with and without a zone", () => {
    assert.equal(parseIsoDate("2024-01-15T10:30:00")?.toISOString(), "2024-01-15T10:30:00.000Z")
    assert.equal(parseIsoDate("2024-01-15T10:30:00+03:30")?.toISOString(), "2024-01-15T07:00:00.000Z")
    assert.equal(parseIsoDate("2024-01-15 10:30:00.123456")?.toISOString(), "2024-01-15T10:30:00.123Z")
    assert.equal(parseIsoDate("yesterday"), undefined)
  })
})
