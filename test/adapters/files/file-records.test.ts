import assert from "node:assert/strict"
import { appendFile, readFile, stat, writeFile } from "node:fs/promises"
import { hostname } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Effect, Either, Layer } from "effect"
import { FileRecords } from "../../../src/adapters/files/file-records.ts"
import { openJournal } from "../../../src/adapters/files/journal.ts"
import { BroadcastStore } from "../../../src/application/ports/broadcast-store.ts"
import { EnrolmentStore } from "../../../src/application/ports/enrolment-store.ts"
import { FlagStore } from "../../../src/application/ports/flag-store.ts"
import { OrderStore } from "../../../src/application/ports/order-store.ts"
import { Enrolment } from "../../../src/domain/enrolment.ts"
import { courseItem, decideReceipt, placeOrder } from "../../../src/domain/order.ts"
import { UserId } from "../../../src/domain/student.ts"
import { temporaryDirectory } from "../../support/bot-process.ts"
import { CATALOG } from "../../support/memory-bot.ts"

const now = new Date("2026-11-25T08:00:00Z")
const course = CATALOG.courses.find((candidate) => candidate.id === "paid_advanced")
if (course === undefined) throw new Error("catalog changed")

const withRecords = <A, E>(
  directory: string,
  program: Effect.Effect<A, E, EnrolmentStore | OrderStore | FlagStore | BroadcastStore>,
) =>
  Effect.runPromise(
    Effect.scoped(
      Layer.build(FileRecords(directory)).pipe(Effect.flatMap((context) => Effect.provide(program, context))),
    ),
  )

describe("record journals", () => {
  it("keep every acknowledged change across a reopen, and drop a torn last line", async () => {
    const directory = await temporaryDirectory("records-")
    const order = placeOrder("ORDER0001", UserId.make(7), courseItem(course), now)
    await withRecords(
      directory,
      Effect.gen(function* () {
        yield* (yield* OrderStore).place(order)
        const receipt = {
          id: "RCPT0001",
          fileId: "f",
          fileUniqueId: "u1",
          submittedAt: now,
          reviewCopies: [],
        }
        assert.ok(Either.isRight(yield* (yield* OrderStore).submitReceipt(order.id, receipt)))
        const enrolments = yield* EnrolmentStore
        assert.equal(
          yield* enrolments.enrol(
            { userId: UserId.make(7), courseId: "free_math_12th", enrolledAt: now },
            28,
          ),
          "Enrolled",
        )
        assert.equal(yield* (yield* FlagStore).ban(UserId.make(8), 1, now), true)
        assert.equal(yield* (yield* BroadcastStore).claim("B1", UserId.make(7)), true)
      }),
    )
    const mode = (await stat(join(directory, "orders.jsonl"))).mode & 0o777
    assert.equal(mode, 0o600)
    // a crash in the middle of a write leaves half a line: it was never acknowledged
    await appendFile(join(directory, "enrolments.jsonl"), '{"k":"free_math_10th:9","v":{"userId":9,"cou')
    await withRecords(
      directory,
      Effect.gen(function* () {
        const [stored] = yield* (yield* OrderStore).all
        assert.equal(stored?.status, "under_review")
        assert.equal(stored?.receipts[0]?.submittedAt.getTime(), now.getTime())
        // the image is still known after the restart
        const again = { id: "RCPT0002", fileId: "f", fileUniqueId: "u1", submittedAt: now, reviewCopies: [] }
        const duplicate = yield* (yield* OrderStore).submitReceipt(order.id, again)
        assert.ok(Either.isLeft(duplicate))
        assert.equal(yield* (yield* EnrolmentStore).seats("free_math_12th"), 1)
        assert.equal(yield* (yield* EnrolmentStore).seats("free_math_10th"), 0)
        assert.ok((yield* (yield* FlagStore).get(UserId.make(8))).banned)
        assert.equal((yield* (yield* BroadcastStore).deliveries("B1")).get(UserId.make(7)), "claimed")
      }),
    )
    assert.ok((await readFile(join(directory, "enrolments.jsonl"), "utf8")).endsWith("\n"))
  })

  it("lets exactly one of many racing decisions win", async () => {
    const directory = await temporaryDirectory("records-")
    const order = {
      ...placeOrder("ORDER0002", UserId.make(7), courseItem(course), now),
      status: "under_review" as const,
      receipts: [{ id: "R1", fileId: "f", fileUniqueId: "u", submittedAt: now, reviewCopies: [] }],
    }
    const winners = await withRecords(
      directory,
      Effect.gen(function* () {
        const store = yield* OrderStore
        yield* store.place(order)
        const outcomes = yield* Effect.forEach(
          Array.from({ length: 20 }, (_, admin) => admin),
          (admin) =>
            store.update(order.id, (current) =>
              decideReceipt(current, "R1", {
                verdict: admin % 2 ? "approved" : "rejected",
                reason: "amount",
                adminId: admin,
                adminName: `${admin}`,
                at: now,
              }),
            ),
          { concurrency: "unbounded" },
        )
        return outcomes.filter(Either.isRight).length
      }),
    )
    assert.equal(winners, 1)
  })

  it("skips damaged lines and counts them", async () => {
    const directory = await temporaryDirectory("records-")
    const path = join(directory, "x.jsonl")
    await appendFile(
      path,
      'not json\n{"k":"a","v":{"userId":1,"courseId":"c","enrolledAt":"2026-01-01T00:00:00.000Z"}}\n{"k":"b","v":{"bad":1}}\n{"k":"a"}\n',
    )
    const journal = await openJournal(path, Enrolment)
    assert.equal(journal.skipped, 2)
    assert.equal(journal.rows.length, 0)
    await journal.close()
  })
})

describe("records directory", () => {
  it("refuses to open while another live bot process holds it", async () => {
    const directory = await temporaryDirectory("records-")
    // another live process on this host (our parent) holds the lock, touched just now
    const holder = { pid: process.ppid, host: hostname(), since: new Date().toISOString() }
    await writeFile(join(directory, ".lock"), JSON.stringify(holder))
    const outcome = await Effect.runPromise(Effect.either(Effect.scoped(Layer.build(FileRecords(directory)))))
    assert.ok(Either.isLeft(outcome))
    assert.match(String((outcome.left as { reason?: string }).reason), /in use by another bot process/)
  })
})
