import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import postgres from "postgres"
import { type BotApiEmulator, startBotApiEmulator } from "../../playground/bot-api-emulator.ts"
import { type BotProcess, startBot, temporaryDirectory } from "../support/bot-process.ts"
import { parseCsv } from "../support/csv-parse.ts"
import { runImport } from "../support/import-cli.ts"
import { freshDatabase } from "../support/postgres-server.ts"
import { studentDriver } from "../support/student-driver.ts"
import { writeStudentFiles } from "../support/student-files.ts"

const STUDENT = 6001
const MARYAM = { id: 7001, first_name: "مریم" }
const REZA = { id: 7002, first_name: "رضا" }

// Once with each storage; with PostgreSQL the student file is brought in by `npm run import`.
for (const storage of ["files", "postgres"] as const)
  describe(`paid courses, book orders, receipts and admin review (${storage}): the real bot process`, () => {
    let emulator: BotApiEmulator
    let bot: BotProcess
    let recordsDir: string
    let databaseUrl = ""

    /** The newest order as stored, whichever the storage. */
    const lastOrder = async () => {
      if (storage === "files") {
        const orders = (await readFile(join(recordsDir, "orders.jsonl"), "utf8")).trim().split("\n")
        return JSON.parse(orders.at(-1) ?? "{}").v
      }
      const sql = postgres(databaseUrl, { max: 1 })
      try {
        const [row] = await sql`select record from orders order by created_at desc, id desc limit 1`
        return row?.record
      } finally {
        await sql.end()
      }
    }

    before(async () => {
      emulator = await startBotApiEmulator()
      const usersDir = await temporaryDirectory("users-")
      recordsDir = await temporaryDirectory("records-")
      await writeStudentFiles(usersDir, [STUDENT], () => "دوازدهم")
      let storageEnv = {}
      if (storage === "postgres") {
        databaseUrl = await freshDatabase()
        const imported = await runImport(databaseUrl, usersDir)
        assert.match(imported.stdout, /students: 1 added/, imported.stderr)
        storageEnv = { STORAGE: "postgres", DATABASE_URL: databaseUrl }
      }
      for (const admin of [MARYAM, REZA]) emulator.registerUser(admin)
      bot = startBot({
        ...storageEnv,
        BOT_TOKEN: emulator.token,
        TELEGRAM_API_ROOT: emulator.url,
        USERS_DIR: usersDir,
        RECORDS_DIR: recordsDir,
        ADMIN_USER_IDS: `${MARYAM.id},${REZA.id}`,
        PAYMENT_CARD_NUMBER: "6037-9900-0000-1234",
        PAYMENT_PAYEE_NAME: "محمد حاتمی",
      })
      await emulator.waitFor(() => bot.output().includes("polling for updates"), 30_000)
    })

    after(async () => {
      await bot.stop()
      await emulator.close()
    })

    it("registers the command menus with Persian descriptions", async () => {
      const commands = await emulator.waitFor(() => emulator.commands().length > 0 && emulator.commands())
      assert.deepEqual(
        commands.map((command) => command.command),
        ["start", "courses", "mycourses", "book", "profile", "contact", "help"],
      )
      const admin = await emulator.waitFor(() => {
        const list = emulator.commands({ scope: { type: "chat", chat_id: MARYAM.id } })
        return list.length > 0 && list
      })
      assert.ok(admin.some((command) => command.command === "broadcast"))
    })

    it("takes a course order from tap to approval, with two admins deciding at once", async () => {
      const student = studentDriver(emulator, { id: STUDENT, first_name: "Ali" })
      student.say("/courses")
      await student.expect(/یکی را انتخاب کنید/)
      student.press("دوره‌های ویژه")
      await emulator.waitFor(() => student.buttons().some((label) => label.includes("دوره جامع")))
      student.press("دوره جامع")
      await student.expect(/۵۰۰٬۰۰۰ تومان/)
      const pressed = student.press("ثبت‌نام و پرداخت")
      const instructions = await student.expect(/کارت‌به‌کارت/)
      assert.match(instructions.plainText ?? "", /💳 6037 9900 0000 1234\n👤 به نام محمد حاتمی/)
      assert.match(instructions.text ?? "", /<code>6037 9900 0000 1234<\/code>/)
      assert.match(instructions.plainText ?? "", /۵۰۰٬۰۰۰ تومان/)

      // a forged press on the same message, carrying another price: refused, nothing placed
      const forged = emulator.pushRawUpdate({
        callback_query: {
          id: "forged-1",
          from: { id: STUDENT, is_bot: false, first_name: "Ali" },
          message: pressed.message.telegram,
          chat_instance: "x",
          data: "o:course:paid_comprehensive:1000",
        },
      })
      assert.ok(forged)
      const answer = await emulator.waitFor(() =>
        emulator.callsTo("answerCallbackQuery").find((call) => call.params.callback_query_id === "forged-1"),
      )
      assert.match(String(answer.params.text), /فعال نیست/)

      emulator.sendPhoto({ id: STUDENT, first_name: "Ali" }, { file_unique_id: "receipt-A" })
      await student.expect(/رسید شما دریافت شد/)
      const maryam = studentDriver(emulator, MARYAM)
      const reza = studentDriver(emulator, REZA)
      for (const admin of [maryam, reza]) {
        const review = await admin.expect(/رسید تازه/)
        assert.match(
          review.plainText ?? "",
          /دوره جامع ریاضی کنکور[\s\S]*۵۰۰٬۰۰۰[\s\S]*علی رضایی \(شناسه 6001\)/,
        )
        assert.equal(emulator.messages(admin.user.id).at(-2)?.kind, "photo")
      }
      reza.press("رد")
      await reza.expect(/دلیل رد/)
      // now both decide in the same instant
      maryam.press("تایید")
      reza.press("یکسان نیست")
      const decided = await emulator.waitFor(() => {
        const texts = [maryam.last()?.plainText ?? "", reza.last()?.plainText ?? ""]
        return texts.every((text) => /(تایید|رد) شد —/.test(text)) && texts
      }, 5000)
      assert.equal(decided[0], decided[1], "both copies show the same single decision")
      const approved = /تایید شد — مریم/.test(decided[0] ?? "")
      assert.ok(approved || /رد شد — رضا/.test(decided[0] ?? ""))
      await student.expect(approved ? /پرداخت شما تایید شد/ : /تایید نشد/)
      const last = await lastOrder()
      assert.equal(last.item.priceToman, 500000)
      assert.equal(last.receipts[0].decision.adminName, approved ? "مریم" : "رضا")
      assert.equal(
        emulator.messages(STUDENT).filter((message) => /تایید شد|تایید نشد/.test(message.plainText ?? ""))
          .length,
        1,
        "the student hears one decision",
      )
    })

    it("validates postal code and address, then refuses a receipt image sent before", async () => {
      const student = studentDriver(emulator, { id: STUDENT, first_name: "Ali" })
      student.say("/book")
      await student.expect(/انفجار خلاقیت ریاضی/)
      student.press("سفارش کتاب")
      await student.expect(/کد پستی ۱۰ رقمی/)
      student.say("۱۲۳۴۵۶۷۸۹")
      await student.expect(/دقیقاً ۱۰ رقم باشد \(شما ۹ رقم/)
      student.say("۱۲۳۴۵۶۷۸۹۰")
      await student.expect(/نشانی کامل پستی/)
      student.say("خیابان")
      await student.expect(/خیلی کوتاه/)
      student.say("x".repeat(301))
      await student.expect(/حداکثر ۳۰۰ حرف/)
      student.say('=HYPERLINK("http://evil") شیراز، خیابان زند، پلاک ۳')
      await student.expect(/توضیحی/)
      student.press("توضیحی ندارم")
      await student.expect(/۱۵۰٬۰۰۰ تومان/)
      emulator.sendPhoto({ id: STUDENT, first_name: "Ali" }, { file_unique_id: "receipt-A" })
      await student.expect(/قبلاً به‌عنوان رسید فرستاده شده/)
      emulator.sendPhoto({ id: STUDENT, first_name: "Ali" }, { file_unique_id: "receipt-B" })
      await student.expect(/رسید شما دریافت شد/)
    })

    it("exports CSV documents with a BOM and neutralised formulas", async () => {
      const maryam = studentDriver(emulator, MARYAM)
      const before = emulator.callsTo("sendDocument").length
      maryam.say("/export")
      await emulator.waitFor(() => emulator.callsTo("sendDocument").length === before + 4, 5000)
      const documents = emulator
        .messages(MARYAM.id)
        .filter((message) => message.kind === "document")
        .slice(-4)
      const read = (name: string) => {
        const file = documents.find((message) => message.file?.file_name === name)?.file
        assert.ok(file?.content, `no ${name}`)
        const bytes = Buffer.from(file.content)
        assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${name} starts with the UTF-8 BOM`)
        return parseCsv(bytes.subarray(3).toString("utf8"))
      }
      const students = read("students.csv")
      assert.equal(students[0]?.[1], "نام")
      assert.deepEqual(students[1]?.slice(0, 8), [
        "6001",
        "علی",
        "رضایی",
        "دوازدهم",
        "ریاضی",
        "فارس",
        "شیراز",
        "09121234567",
      ])
      const orders = read("orders.csv")
      const book = orders.find((row) => row[2] === "کتاب")
      assert.equal(book?.[7], '\'=HYPERLINK("http://evil") شیراز، خیابان زند، پلاک ۳')
      assert.equal(book?.[6], "1234567890")
      for (const row of [...students, ...orders])
        for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@]/)
      read("enrolments.csv")
      read("broadcasts.csv")
    })
  })
