import assert from "node:assert/strict"
import { after, describe, it } from "node:test"
import { Effect, Either, Exit, Layer, Redacted, Scope } from "effect"
import { connect, Database, type Sql } from "../../../src/adapters/postgres/database.ts"
import { migrate } from "../../../src/adapters/postgres/migrations.ts"
import { makePostgresRecords, PostgresRecords } from "../../../src/adapters/postgres/postgres-records.ts"
import type { Broadcast } from "../../../src/domain/broadcast.ts"
import { courseItem, decideReceipt, type Order, placeOrder } from "../../../src/domain/order.ts"
import { UserId } from "../../../src/domain/student.ts"
import { CATALOG } from "../../support/memory-bot.ts"
import { freshDatabase } from "../../support/postgres-server.ts"
import { recordStoreContract } from "../../support/record-store-contract.ts"

const pools: Array<Sql> = []
after(() => Promise.all(pools.map((sql) => sql.end({ timeout: 1 }))))

const pool = (url: string) => {
  const sql = connect({ url: Redacted.make(url), poolSize: 4 })
  pools.push(sql)
  return sql
}

const migratedUrl = async () => {
  const url = await freshDatabase()
  await migrate(pool(url))
  return url
}

recordStoreContract("PostgreSQL", async () =>
  PostgresRecords.pipe(Layer.provide(Layer.succeed(Database, { sql: pool(await migratedUrl()) }))),
)

/** Two replicas: two pools on one database, each with its own record stores and scope. */
const twoReplicas = async () => {
  const url = await migratedUrl()
  const open = async () => {
    const scope = Effect.runSync(Scope.make())
    const stores = await Effect.runPromise(
      makePostgresRecords.pipe(Effect.provideService(Database, { sql: pool(url) }), Scope.extend(scope)),
    )
    return { ...stores, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
  }
  return [await open(), await open()] as const
}

describe("PostgreSQL records across replicas", () => {
  const now = new Date("2026-11-25T08:00:00Z")
  const course = CATALOG.courses.find((candidate) => candidate.kind === "paid" && candidate.price_toman > 0)

  it("lets exactly one receipt decision win when admins on two replicas decide at once", async () => {
    assert.ok(course)
    const replicas = await twoReplicas()
    const [a, b] = replicas
    const order = {
      ...placeOrder("ORD9", UserId.make(7), courseItem(course), now),
      status: "under_review" as const,
      receipts: [{ id: "R1", fileId: "f", fileUniqueId: "u", submittedAt: now, reviewCopies: [] }],
    }
    await Effect.runPromise(a.orders.place(order))
    const decide = (admin: number) => (current: Order) =>
      decideReceipt(current, "R1", {
        verdict: admin % 2 ? "approved" : "rejected",
        reason: "amount",
        adminId: admin,
        adminName: `${admin}`,
        at: now,
      })
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, admin) =>
        Effect.runPromise((admin % 2 ? a : b).orders.update(order.id, decide(admin))),
      ),
    )
    assert.equal(outcomes.filter(Either.isRight).length, 1)
  })

  it("takes one receipt image once when two replicas receive it for two orders at once", async () => {
    assert.ok(course)
    const replicas = await twoReplicas()
    const [a, b] = replicas
    await Effect.runPromise(a.orders.place(placeOrder("O1", UserId.make(1), courseItem(course), now)))
    await Effect.runPromise(a.orders.place(placeOrder("O2", UserId.make(2), courseItem(course), now)))
    const receipt = (id: string) => ({
      id,
      fileId: "f",
      fileUniqueId: "same",
      submittedAt: now,
      reviewCopies: [],
    })
    const outcomes = await Promise.all([
      Effect.runPromise(a.orders.submitReceipt("O1", receipt("R1"))),
      Effect.runPromise(b.orders.submitReceipt("O2", receipt("R2"))),
    ])
    assert.equal(outcomes.filter(Either.isRight).length, 1)
    assert.deepEqual(outcomes.find(Either.isLeft), Either.left({ _tag: "DuplicateReceipt" }))
  })

  it("never over-fills a class from two replicas", async () => {
    const replicas = await twoReplicas()
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        Effect.runPromise(
          (i % 2 ? replicas[1] : replicas[0]).enrolments.enrol(
            { userId: UserId.make(100 + i), courseId: "free", enrolledAt: now },
            5,
          ),
        ),
      ),
    )
    assert.equal(outcomes.filter((outcome) => outcome === "Enrolled").length, 5)
    assert.equal(await Effect.runPromise(replicas[0].enrolments.seats("free")), 5)
  })

  it("gives an unfinished broadcast to one replica only, and to another once its owner has stopped", async () => {
    const [a, b] = await twoReplicas()
    const draft: Broadcast = {
      id: "B1",
      text: "سلام",
      audience: "all",
      createdBy: 1,
      createdAt: now,
      status: "draft",
    }
    await Effect.runPromise(a.broadcasts.create(draft))
    const confirmed = await Effect.runPromise(
      a.broadcasts.update("B1", (current) => Either.right({ ...current, status: "sending" as const })),
    )
    assert.ok(Either.isRight(confirmed))
    const ids = (list: ReadonlyArray<Broadcast>) => list.map((broadcast) => broadcast.id)
    assert.deepEqual(ids(await Effect.runPromise(a.broadcasts.sending)), ["B1"])
    assert.deepEqual(
      ids(await Effect.runPromise(b.broadcasts.sending)),
      [],
      "the confirming replica sends it",
    )
    await a.close()
    assert.deepEqual(
      ids(await Effect.runPromise(b.broadcasts.sending)),
      ["B1"],
      "taken over once the owner stopped",
    )
    const done = await Effect.runPromise(
      b.broadcasts.update("B1", (current) => Either.right({ ...current, status: "done" as const })),
    )
    assert.ok(Either.isRight(done))
    assert.deepEqual(ids(await Effect.runPromise(b.broadcasts.sending)), [])
    await b.close()
  })
})
