import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Chunk, Effect, Option, Schema, Stream } from "effect"
import type { Conversation, DraftStore } from "../../src/application/ports/draft-store.ts"
import type { StudentDirectory } from "../../src/application/ports/student-directory.ts"
import type { StudentRepository } from "../../src/application/ports/student-repository.ts"
import { RegistrationDraft } from "../../src/domain/registration-draft.ts"
import { Profile, registerStudent, type Student, UserId, updateProfile } from "../../src/domain/student.ts"

/**
 * One contract, several adapters: every storage adapter (files, PostgreSQL, memory) must pass these.
 * Each `make` gives a fresh, empty store.
 */
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)

const FIRST = ["علی", "مریم", "رضا", "زهرا", "حسین", "فاطمه", "محمد", "سارا"]
const LAST = ["رضایی", "احمدی", "کریمی", "حسینی", "موسوی", "جعفری"]

/** A valid student whose fields vary with `id`. */
export const sampleStudent = (id: number, at = new Date("2026-11-25T08:00:00.123Z")): Student =>
  registerStudent(
    UserId.make(id),
    Schema.decodeUnknownSync(Profile)({
      firstName: FIRST[id % FIRST.length],
      lastName: LAST[id % LAST.length],
      grade: ["دهم", "یازدهم", "دوازدهم"][id % 3],
      major: ["ریاضی", "تجربی", "انسانی", "هنر"][id % 4],
      province: id % 2 === 0 ? "فارس" : "تهران",
      city: id % 2 === 0 ? "شیراز" : "تهران",
      phone: `+98912${String(id % 10_000_000).padStart(7, "0")}`,
    }),
    at,
  )

export const studentRepositoryContract = (adapter: string, make: () => Promise<StudentRepository["Type"]>) =>
  describe(`StudentRepository contract: ${adapter}`, () => {
    it("finds nothing for an unknown student", async () => {
      const students = await make()
      assert.ok(Option.isNone(await run(students.find(UserId.make(1)))))
    })

    it("gives back exactly the student it stored, Persian text and millisecond dates included", async () => {
      const students = await make()
      const ali = sampleStudent(42)
      await run(students.save(ali))
      assert.deepEqual(await run(students.find(ali.userId)), Option.some(ali))
    })

    it("replaces a student on a second save and keeps the registration date", async () => {
      const students = await make()
      const first = sampleStudent(7)
      await run(students.save(first))
      const later = new Date("2026-11-26T09:30:00Z")
      const edited = updateProfile(first, { ...first.profile, grade: "دوازدهم" }, later)
      await run(students.save(edited))
      const found = Option.getOrThrow(await run(students.find(first.userId)))
      assert.equal(found.profile.grade, "دوازدهم")
      assert.equal(found.registrationDate.getTime(), first.registrationDate.getTime())
      assert.equal(found.lastUpdated.getTime(), later.getTime())
    })

    it("keeps Telegram ids above 2^32", async () => {
      const students = await make()
      const big = sampleStudent(7_123_456_789)
      await run(students.save(big))
      assert.deepEqual(await run(students.find(big.userId)), Option.some(big))
    })

    it("keeps every one of many students saved at once", async () => {
      const students = await make()
      const all = Array.from({ length: 40 }, (_, i) => sampleStudent(1000 + i))
      await run(Effect.forEach(all, students.save, { concurrency: 10 }))
      const found = await run(Effect.forEach(all, (student) => students.find(student.userId)))
      assert.deepEqual(found, all.map(Option.some))
    })
  })

export const studentDirectoryContract = (
  adapter: string,
  make: () => Promise<{ students: StudentRepository["Type"]; directory: StudentDirectory["Type"] }>,
  /** Enough to cross the adapter's page size, if it pages. */
  many = 120,
) =>
  describe(`StudentDirectory contract: ${adapter}`, () => {
    it("counts, summarises and lists nobody when empty", async () => {
      const { directory } = await make()
      assert.equal(await run(directory.count), 0)
      assert.deepEqual(await run(directory.summaries), [])
      assert.deepEqual(Chunk.toArray(await run(Stream.runCollect(directory.students))), [])
    })

    it(`lists every student once, in user id order (${many} students)`, async () => {
      const { students, directory } = await make()
      const ids = Array.from({ length: many }, (_, i) => 1 + ((i * 7919) % many) * 3)
      await run(Effect.forEach(ids, (id) => students.save(sampleStudent(id)), { concurrency: 20 }))
      await run(students.save(sampleStudent(ids[0] ?? 1, new Date("2026-11-27T00:00:00Z"))))
      assert.equal(await run(directory.count), ids.length)
      const listed = Chunk.toArray(await run(Stream.runCollect(directory.students)))
      const sorted = [...ids].sort((a, b) => a - b)
      assert.deepEqual(
        listed.map((student) => student.userId),
        sorted,
      )
      assert.deepEqual(listed[5], sampleStudent(sorted[5] ?? 0))
      const summaries = await run(directory.summaries)
      assert.equal(summaries.length, ids.length)
      const one = summaries.find((summary) => summary.userId === 4)
      assert.deepEqual(one, {
        userId: 4,
        grade: sampleStudent(4).profile.grade,
        major: sampleStudent(4).profile.major,
        province: "فارس",
        registrationDate: sampleStudent(4).registrationDate,
      })
    })
  })

const draft = (step: RegistrationDraft["step"], revision: number): RegistrationDraft =>
  Schema.decodeUnknownSync(RegistrationDraft)({
    mode: "register",
    step,
    revision,
    page: 1,
    revisiting: false,
    answers: { firstName: "علی", lastName: "رضایی", grade: "دهم" },
  })

export const draftStoreContract = (adapter: string, make: () => Promise<DraftStore["Type"]>) =>
  describe(`DraftStore contract: ${adapter}`, () => {
    it("has no conversation for a student who has not started", async () => {
      const drafts = await make()
      assert.ok(
        Option.isNone(await run(Effect.map(drafts.get(UserId.make(5)), (state) => state.conversation))),
      )
    })

    it("gives back the conversation it stored, with or without a prompt message", async () => {
      const drafts = await make()
      const withPrompt: Conversation = { draft: draft("major", 4), prompt: 991 }
      const withoutPrompt: Conversation = { draft: draft("grade", 3) }
      await run(drafts.put(UserId.make(5), withPrompt))
      await run(drafts.put(UserId.make(6), withoutPrompt))
      assert.deepEqual(
        await run(Effect.map(drafts.get(UserId.make(5)), (state) => state.conversation)),
        Option.some(withPrompt),
      )
      const found = Option.getOrThrow(
        await run(Effect.map(drafts.get(UserId.make(6)), (state) => state.conversation)),
      )
      assert.deepEqual(found, withoutPrompt)
      assert.equal("prompt" in found, false)
    })

    it("replaces a conversation and forgets a removed one", async () => {
      const drafts = await make()
      await run(drafts.put(UserId.make(5), { draft: draft("major", 4) }))
      await run(drafts.put(UserId.make(5), { draft: draft("province", 5), prompt: 3 }))
      assert.deepEqual(
        await run(Effect.map(drafts.get(UserId.make(5)), (state) => state.conversation)),
        Option.some({ draft: draft("province", 5), prompt: 3 }),
      )
      await run(drafts.remove(UserId.make(5)))
      assert.ok(
        Option.isNone(await run(Effect.map(drafts.get(UserId.make(5)), (state) => state.conversation))),
      )
      await run(drafts.remove(UserId.make(5)))
    })

    it("keeps the update a change was made for, beside the conversation and after it ends", async () => {
      const drafts = await make()
      const id = UserId.make(8)
      const markOf = async () => Option.map((await run(drafts.get(id))).handled, (mark) => mark.update)
      assert.deepEqual(await markOf(), Option.none())
      await run(drafts.put(id, { draft: draft("major", 4) }, 700))
      assert.deepEqual(await markOf(), Option.some(700))
      // a change for no particular update keeps the mark it has
      await run(drafts.put(id, { draft: draft("province", 5) }))
      assert.deepEqual(await markOf(), Option.some(700))
      await run(drafts.remove(id, 701))
      const ended = await run(drafts.get(id))
      assert.ok(Option.isNone(ended.conversation))
      assert.deepEqual(await markOf(), Option.some(701), "the mark outlives the conversation")
      const at = Option.getOrThrow(ended.handled).at.getTime()
      assert.ok(Math.abs(Date.now() - at) < 60_000, "stamped with the time it was stored")
      await run(drafts.put(id, { draft: draft("major", 4) }, 702))
      assert.deepEqual(await markOf(), Option.some(702))
      assert.ok(Option.isSome((await run(drafts.get(id))).conversation))
    })
  })
