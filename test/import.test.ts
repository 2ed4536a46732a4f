import assert from "node:assert/strict"
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import { Schema } from "effect"
import postgres from "postgres"
import { Broadcast } from "../src/domain/broadcast.ts"
import { Enrolment } from "../src/domain/enrolment.ts"
import { courseItem, Order, placeOrder } from "../src/domain/order.ts"
import { UserId } from "../src/domain/student.ts"
import { StudentFlags } from "../src/domain/student-flags.ts"
import { temporaryDirectory } from "./support/bot-process.ts"
import { runImport } from "./support/import-cli.ts"
import { CATALOG } from "./support/memory-bot.ts"
import { freshDatabase } from "./support/postgres-server.ts"

const python = {
  user_id: 42,
  first_name: "علي",
  last_name: "كريمی",
  grade: "دهم",
  major: "ریاضی",
  province: "تهران",
  city: "تهران",
  phone: "09121234567",
  registration_date: "2024-01-15T10:30:00",
  last_updated: "2024-01-16T11:00:00.123456",
  telegram_username: "ali_k",
}

const current = {
  user_id: 7_123_456_789,
  first_name: "مریم",
  last_name: "احمدی",
  grade: "دوازدهم",
  major: "تجربی",
  province: "فارس",
  city: "شیراز",
  phone: "+989351112233",
  registration_date: "2026-11-20T08:00:00.000Z",
  last_updated: "2026-11-21T08:00:00.000Z",
}

const draft = {
  user_id: 99,
  updated_at: "2026-11-26T10:00:00.000Z",
  conversation: {
    draft: {
      mode: "register",
      step: "grade",
      revision: 3,
      page: 0,
      revisiting: false,
      answers: { firstName: "رضا" },
    },
    prompt: 12,
  },
}

describe("npm run import -- USERS_DIR", () => {
  const pools: Array<postgres.Sql> = []
  after(() => Promise.all(pools.map((sql) => sql.end({ timeout: 1 }))))

  it("copies students (Python's files too) and drafts once, reports counts, and a second run changes nothing", async () => {
    const usersDir = await temporaryDirectory("users-")
    await writeFile(join(usersDir, "user_42.json"), JSON.stringify(python, null, 2))
    await writeFile(join(usersDir, `user_${current.user_id}.json`), JSON.stringify(current, null, 2))
    await writeFile(join(usersDir, "user_5.json"), "{ not json")
    await writeFile(join(usersDir, "notes.txt"), "not a student")
    await mkdir(join(usersDir, "drafts"))
    await writeFile(join(usersDir, "drafts", "draft_99.json"), JSON.stringify(draft))
    const journaled = { ...draft.conversation, draft: { ...draft.conversation.draft, revision: 4 } }
    await writeFile(
      join(usersDir, "drafts", "drafts.log"),
      [
        { id: 98, at: draft.updated_at, conversation: journaled },
        { id: 97, at: draft.updated_at, conversation: journaled },
        { id: 97, at: draft.updated_at, removed: true },
      ]
        .map((line) => `${JSON.stringify(line)}\n`)
        .join(""),
    )
    const url = await freshDatabase()
    const sql = postgres(url, { max: 1 })
    pools.push(sql)

    const first = await runImport(url, usersDir)
    assert.equal(first.code, 0, first.stderr)
    assert.match(first.stdout, /students: 2 added, 0 updated, 0 unchanged, 1 damaged/)
    assert.match(first.stdout, /skipped user_5\.json/)
    assert.match(first.stdout, /drafts: 2 added, 0 updated, 0 unchanged, 0 damaged/)

    const rows =
      await sql`select user_id::text, first_name, last_name, phone, registration_date, last_updated, extra
      from students order by user_id`
    assert.deepEqual(
      rows.map((row) => row.user_id),
      ["42", "7123456789"],
    )
    const ali = rows[0]
    assert.ok(ali)
    assert.equal(ali.first_name, "علی", "Arabic ي is tidied as the file adapter does")
    assert.equal(ali.last_name, "کریمی")
    assert.equal(ali.phone, "+989121234567")
    assert.equal(ali.registration_date.toISOString(), "2024-01-15T10:30:00.000Z")
    assert.equal(ali.last_updated.toISOString(), "2024-01-16T11:00:00.123Z")
    assert.deepEqual(ali.extra, { telegram_username: "ali_k" }, "unknown fields are kept")
    const [stored] = await sql`select conversation from drafts where user_id = 99`
    assert.deepEqual(stored?.conversation, draft.conversation)
    const fromJournal =
      await sql`select user_id::int as id, conversation from drafts where user_id in (97, 98)`
    assert.deepEqual(
      fromJournal.map((row) => [row.id, row.conversation.draft.revision]),
      [[98, 4]],
      "the journal's live drafts",
    )

    const second = await runImport(url, usersDir)
    assert.equal(second.code, 0, second.stderr)
    assert.match(second.stdout, /students: 0 added, 0 updated, 2 unchanged, 1 damaged/)
    assert.match(second.stdout, /drafts: 0 added, 0 updated, 2 unchanged, 0 damaged/)

    // A newer file updates the row; a row edited since in PostgreSQL is not overwritten by an older file.
    await writeFile(
      join(usersDir, "user_42.json"),
      JSON.stringify({ ...python, grade: "یازدهم", last_updated: "2025-01-01T00:00:00" }),
    )
    await sql`update students set grade = 'دوازدهم', last_updated = '2026-12-01T00:00:00Z' where user_id = ${current.user_id}`
    const third = await runImport(url, usersDir)
    assert.match(third.stdout, /students: 0 added, 1 updated, 1 unchanged, 1 damaged/)
    const grades = await sql`select grade from students order by user_id`
    assert.deepEqual(
      grades.map((row) => row.grade),
      ["یازدهم", "دوازدهم"],
    )
  })

  it("copies the record journals (enrolments, orders with receipt images, flags, broadcasts) once", async () => {
    const usersDir = await temporaryDirectory("users-")
    // Where the bot keeps them by default; found without naming RECORDS_DIR.
    const recordsDir = join(usersDir, "records")
    await mkdir(recordsDir)
    const at = new Date("2026-11-25T08:00:00Z")
    const course = CATALOG.courses.find((candidate) => candidate.kind === "paid" && candidate.price_toman > 0)
    assert.ok(course)
    const order = {
      ...placeOrder("ORD1", UserId.make(42), courseItem(course), at),
      status: "under_review" as const,
      receipts: [{ id: "R1", fileId: "f", fileUniqueId: "img-1", submittedAt: at, reviewCopies: [] }],
    }
    const line = (k: string, v?: unknown) => `${JSON.stringify(v === undefined ? { k } : { k, v })}\n`
    await writeFile(
      join(recordsDir, "enrolments.jsonl"),
      line(
        "free:42",
        Schema.encodeSync(Enrolment)({ userId: UserId.make(42), courseId: "free", enrolledAt: at }),
      ) +
        line(
          "free:43",
          Schema.encodeSync(Enrolment)({ userId: UserId.make(43), courseId: "free", enrolledAt: at }),
        ) +
        line("free:43"),
    )
    await writeFile(join(recordsDir, "orders.jsonl"), line("ORD1", Schema.encodeSync(Order)(order)))
    await writeFile(
      join(recordsDir, "flags.jsonl"),
      line("42", Schema.encodeSync(StudentFlags)({ userId: UserId.make(42), blockedAt: at })),
    )
    const broadcast = {
      id: "B1",
      text: "سلام",
      audience: "all" as const,
      createdBy: 1,
      createdAt: at,
      status: "done" as const,
    }
    await writeFile(join(recordsDir, "broadcasts.jsonl"), line("B1", Schema.encodeSync(Broadcast)(broadcast)))
    await writeFile(
      join(recordsDir, "deliveries-B1.jsonl"),
      line("42", "claimed") + line("42", "sent") + line("43", "blocked"),
    )
    const url = await freshDatabase()
    const sql = postgres(url, { max: 1 })
    pools.push(sql)

    const first = await runImport(url, usersDir)
    assert.equal(first.code, 0, first.stderr)
    for (const expected of [
      /enrolments: 1 added, 0 updated, 0 unchanged, 0 damaged/,
      /orders: 1 added/,
      /flags: 1 added/,
      /broadcasts: 1 added/,
      /deliveries: 2 added/,
    ])
      assert.match(first.stdout, expected)
    const [image] = await sql`select order_id from receipt_images where file_unique_id = 'img-1'`
    assert.equal(image?.order_id, "ORD1")
    const states = await sql`select user_id::int, state from broadcast_deliveries order by user_id`
    assert.deepEqual(
      states.map((row) => [row.user_id, row.state]),
      [
        [42, "sent"],
        [43, "blocked"],
      ],
    )
    const second = await runImport(url, usersDir, recordsDir)
    assert.match(second.stdout, /enrolments: 0 added, 0 updated, 1 unchanged/)
    assert.match(second.stdout, /deliveries: 0 added, 0 updated, 2 unchanged/)
  })

  it("says how to use it, and names a missing DATABASE_URL", async () => {
    const usage = await runImport("postgres://127.0.0.1:1/none")
    assert.equal(usage.code, 2)
    assert.match(usage.stderr, /Usage: .*npm run import -- USERS_DIR \[RECORDS_DIR\]/)
    const missing = await runImport("", await temporaryDirectory("users-"))
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /DATABASE_URL/)
  })
})
