import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect, Either, type Layer, Option } from "effect"
import { BroadcastStore } from "../../src/application/ports/broadcast-store.ts"
import { EnrolmentStore } from "../../src/application/ports/enrolment-store.ts"
import { FlagStore } from "../../src/application/ports/flag-store.ts"
import { OrderStore } from "../../src/application/ports/order-store.ts"
import type { Broadcast } from "../../src/domain/broadcast.ts"
import { courseItem, decideReceipt, placeOrder, type Receipt } from "../../src/domain/order.ts"
import { UserId } from "../../src/domain/student.ts"
import { CATALOG } from "./memory-bot.ts"

export type RecordStores = EnrolmentStore | OrderStore | FlagStore | BroadcastStore

/**
 * What every implementation of the record ports must do (memory, journal files, PostgreSQL…).
 * `fresh` gives empty stores; the program runs inside them.
 */
export const recordStoreContract = (
  name: string,
  fresh: () => Promise<Layer.Layer<RecordStores, unknown>>,
) => {
  const run = async <A, E>(program: Effect.Effect<A, E, RecordStores>): Promise<A> =>
    Effect.runPromise(Effect.scoped(Effect.provide(program, await fresh())))
  const now = new Date("2026-11-25T08:00:00Z")
  const later = new Date("2026-11-25T09:00:00Z")
  const course = CATALOG.courses.find((candidate) => candidate.kind === "paid" && candidate.price_toman > 0)
  if (course === undefined) throw new Error("no paid course in the catalog")
  const receipt = (id: string, unique: string): Receipt => ({
    id,
    fileId: `file-${unique}`,
    fileUniqueId: unique,
    submittedAt: now,
    reviewCopies: [],
  })
  const ali = UserId.make(11)
  const sara = UserId.make(12)

  describe(`record stores contract: ${name}`, () => {
    it("enrolments: capacity, no second seat, leave, per student and per class", () =>
      run(
        Effect.gen(function* () {
          const store = yield* EnrolmentStore
          const seat = (userId: UserId, courseId = "c1") => ({ userId, courseId, enrolledAt: now })
          assert.equal(yield* store.enrol(seat(ali), 1), "Enrolled")
          assert.equal(yield* store.enrol(seat(ali), 1), "AlreadyEnrolled")
          assert.equal(yield* store.enrol(seat(sara), 1), "Full")
          assert.equal(yield* store.enrol(seat(sara, "c2"), 0), "Enrolled")
          assert.equal(yield* store.seats("c1"), 1)
          assert.deepEqual(
            (yield* store.ofStudent(ali)).map((entry) => entry.courseId),
            ["c1"],
          )
          assert.equal(yield* store.leave(ali, "c1"), true)
          assert.equal(yield* store.leave(ali, "c1"), false)
          assert.equal(yield* store.seats("c1"), 0)
          assert.equal((yield* store.all).length, 1)
          const outcomes = yield* Effect.forEach(
            Array.from({ length: 30 }, (_, index) => UserId.make(100 + index)),
            (userId) => store.enrol(seat(userId, "c3"), 10),
            { concurrency: "unbounded" },
          )
          assert.equal(outcomes.filter((outcome) => outcome === "Enrolled").length, 10)
          assert.equal(yield* store.seats("c3"), 10)
        }),
      ))

    it("orders: place, find, per student oldest first, refused changes write nothing", () =>
      run(
        Effect.gen(function* () {
          const store = yield* OrderStore
          const first = placeOrder("ORD0001", ali, courseItem(course), now)
          const second = placeOrder("ORD0002", ali, courseItem(course), later)
          yield* store.place(second)
          yield* store.place(first)
          yield* store.place(placeOrder("ORD0003", sara, courseItem(course), now))
          assert.deepEqual(
            (yield* store.ofStudent(ali)).map((order) => order.id),
            ["ORD0001", "ORD0002"],
          )
          assert.deepEqual(
            Option.map(yield* store.find("ORD0001"), (order) => order.createdAt),
            Option.some(now),
          )
          assert.ok(Option.isNone(yield* store.find("nope")))
          const refused = yield* store.update("ORD0001", () => Either.left("no" as const))
          assert.deepEqual(refused, Either.left("no"))
          const missing = yield* store.update("nope", (order) => Either.right(order))
          assert.deepEqual(missing, Either.left({ _tag: "OrderNotFound" }))
          assert.equal((yield* store.all).length, 3)
        }),
      ))

    it("receipts: taken while awaited, an image once across all orders, first decision wins", () =>
      run(
        Effect.gen(function* () {
          const store = yield* OrderStore
          yield* store.place(placeOrder("ORD0001", ali, courseItem(course), now))
          yield* store.place(placeOrder("ORD0002", sara, courseItem(course), now))
          const taken = yield* store.submitReceipt("ORD0001", receipt("R1", "img-1"))
          assert.equal(Either.isRight(taken) && taken.right.status, "under_review")
          const notAwaited = yield* store.submitReceipt("ORD0001", receipt("R2", "img-2"))
          assert.deepEqual(notAwaited, Either.left({ _tag: "NotAwaitingReceipt" }))
          const reused = yield* store.submitReceipt("ORD0002", receipt("R3", "img-1"))
          assert.deepEqual(reused, Either.left({ _tag: "DuplicateReceipt" }))
          assert.ok(Either.isRight(yield* store.submitReceipt("ORD0002", receipt("R4", "img-2"))))
          const decisions = yield* Effect.forEach(
            Array.from({ length: 8 }, (_, admin) => admin),
            (admin) =>
              store.update("ORD0001", (order) =>
                decideReceipt(order, "R1", {
                  verdict: admin % 2 === 0 ? "approved" : "rejected",
                  reason: "amount",
                  adminId: admin,
                  adminName: `admin ${admin}`,
                  at: now,
                }),
              ),
            { concurrency: "unbounded" },
          )
          assert.equal(decisions.filter(Either.isRight).length, 1)
          const stored = Option.getOrThrow(yield* store.find("ORD0001"))
          assert.ok(stored.receipts[0]?.decision !== undefined)
        }),
      ))

    it("flags: ban once, one notice per ban, blocked marks", () =>
      run(
        Effect.gen(function* () {
          const flags = yield* FlagStore
          assert.deepEqual(yield* flags.get(ali), { userId: ali })
          assert.equal(yield* flags.ban(ali, 1, now), true)
          assert.equal(yield* flags.ban(ali, 1, now), false)
          const claims = yield* Effect.forEach([1, 2, 3], () => flags.claimBanNotice(ali), {
            concurrency: "unbounded",
          })
          assert.deepEqual(claims.filter(Boolean).length, 1)
          assert.equal(yield* flags.unban(ali), true)
          assert.equal(yield* flags.unban(ali), false)
          assert.equal(yield* flags.claimBanNotice(ali), false)
          yield* flags.markBlocked(sara, now)
          yield* flags.markBlocked(sara, later)
          assert.deepEqual((yield* flags.get(sara)).blockedAt, now)
          assert.equal((yield* flags.all).length, 1)
          yield* flags.clearBlocked(sara)
          assert.deepEqual(yield* flags.get(sara), { userId: sara })
        }),
      ))

    it("broadcasts: draft → sending once, unfinished listed, recipients' states recorded", () =>
      run(
        Effect.gen(function* () {
          const store = yield* BroadcastStore
          const draft: Broadcast = {
            id: "BC0001",
            text: "سلام",
            audience: "دهم",
            createdBy: 1,
            createdAt: now,
            status: "draft",
          }
          yield* store.create(draft)
          const confirm = (current: Broadcast) =>
            current.status === "draft"
              ? Either.right({ ...current, status: "sending" as const })
              : Either.left("taken" as const)
          const confirmations = yield* Effect.forEach([1, 2, 3], () => store.update("BC0001", confirm), {
            concurrency: "unbounded",
          })
          assert.equal(confirmations.filter(Either.isRight).length, 1)
          assert.deepEqual(
            (yield* store.sending).map((broadcast) => broadcast.id),
            ["BC0001"],
          )
          const claims = yield* Effect.forEach(
            [ali, ali, ali, sara],
            (userId) => store.claim("BC0001", userId),
            {
              concurrency: "unbounded",
            },
          )
          assert.equal(claims.filter(Boolean).length, 2, "one claim per recipient wins")
          yield* store.record("BC0001", [{ userId: ali, state: "sent" }])
          const states = yield* store.deliveries("BC0001")
          assert.equal(states.get(ali), "sent")
          assert.equal(states.get(sara), "claimed")
          assert.equal((yield* store.deliveries("other")).size, 0)
          assert.equal((yield* store.all).length, 1)
          assert.deepEqual(yield* store.update("nope", confirm), Either.left({ _tag: "BroadcastNotFound" }))
        }),
      ))
  })
}
