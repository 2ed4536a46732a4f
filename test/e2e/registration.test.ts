import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import postgres from "postgres"
import { type BotApiEmulator, startBotApiEmulator } from "../../playground/bot-api-emulator.ts"
import { type BotProcess, startBot, temporaryDirectory } from "../support/bot-process.ts"
import { freshDatabase } from "../support/postgres-server.ts"
import { studentDriver } from "../support/student-driver.ts"

// The whole suite once with each storage: files in USERS_DIR, and PostgreSQL (STORAGE=postgres).
for (const storage of ["files", "postgres"] as const)
  describe(`registration end to end (${storage}): the real bot process against a local Bot API`, () => {
    let emulator: BotApiEmulator
    let bot: BotProcess
    let usersDir: string
    let databaseUrl = ""

    /** The stored student in the files' shape, whichever the storage. */
    const storedStudent = async (id: number): Promise<Record<string, unknown>> => {
      if (storage === "files") return JSON.parse(await readFile(join(usersDir, `user_${id}.json`), "utf8"))
      const sql = postgres(databaseUrl, { max: 1 })
      try {
        const [row] =
          await sql`select user_id::int, first_name, last_name, grade, major, province, city, phone,
        registration_date, last_updated from students where user_id = ${id}`
        assert.ok(row, `student ${id} is in the database`)
        return {
          ...row,
          registration_date: row.registration_date.toISOString(),
          last_updated: row.last_updated.toISOString(),
        }
      } finally {
        await sql.end()
      }
    }

    before(async () => {
      emulator = await startBotApiEmulator()
      usersDir = await temporaryDirectory("users-")
      if (storage === "postgres") databaseUrl = await freshDatabase()
      const storageEnv = storage === "postgres" ? { STORAGE: "postgres", DATABASE_URL: databaseUrl } : {}
      bot = startBot({
        BOT_TOKEN: emulator.token,
        TELEGRAM_API_ROOT: emulator.url,
        USERS_DIR: usersDir,
        ...storageEnv,
      })
      await emulator.waitFor(() => bot.output().includes("polling for updates"), 30_000)
    })

    after(async () => {
      await bot.stop()
      await emulator.close()
    })

    it("registers a student who types names, presses buttons, pages provinces and shares a contact", async () => {
      const ali = studentDriver(emulator, { id: 5001, first_name: "Ali", username: "ali" })
      ali.say("/start")
      await ali.expect(/نام خود را به فارسی/)
      ali.say("Ali")
      await ali.expect(/حروف فارسی/)
      ali.say("علی")
      await ali.expect(/نام خانوادگی/)
      ali.say("رضایی")
      const grade = await ali.expect(/پایهٔ تحصیلی/)
      assert.deepEqual(ali.buttons(grade).slice(0, 3), ["دهم", "یازدهم", "دوازدهم"])
      ali.say("سلام")
      await ali.expect(/یکی از گزینه‌ها/)
      ali.press("یازدهم")
      const major = await ali.expect(/رشتهٔ تحصیلی/)
      assert.deepEqual(ali.buttons(major).slice(0, 4), ["ریاضی", "تجربی", "انسانی", "هنر"])
      ali.press("ریاضی")
      const provinces = await ali.expect(/استان محل زندگی/)
      assert.ok(ali.buttons(provinces).includes("آذربایجان شرقی"))
      const countBeforePaging = ali.botMessageCount()
      ali.press("بعدی")
      await emulator.waitFor(() => ali.buttons().some((label) => label.includes("قبلی")))
      assert.equal(ali.botMessageCount(), countBeforePaging, "paging edits the same message")
      ali.press("فارس")
      await ali.expect(/شهر خود را در استان فارس/)
      ali.press("شیراز")
      await ali.expect(/شماره موبایل/)
      const keyboard = emulator.replyKeyboard(5001)
      assert.ok(keyboard?.keyboard.flat().some((button) => button.request_contact === true))
      ali.shareContact("989121234567", 777)
      await ali.expect(/متعلق به خود شما نیست/)
      ali.shareContact("989121234567")
      const summary = await ali.expect(/بررسی کنید/)
      assert.match(summary.plainText ?? "", /شیراز/)
      ali.press("تایید")
      await ali.expect(/ثبت‌نام شما با موفقیت/)

      const file = await storedStudent(5001)
      assert.deepEqual(Object.keys(file).sort(), [
        "city",
        "first_name",
        "grade",
        "last_name",
        "last_updated",
        "major",
        "phone",
        "province",
        "registration_date",
        "user_id",
      ])
      assert.equal(file.user_id, 5001)
      assert.equal(file.first_name, "علی")
      assert.equal(file.grade, "یازدهم")
      assert.equal(file.province, "فارس")
      assert.equal(file.city, "شیراز")
      assert.equal(file.phone, "+989121234567")
      assert.match(String(file.registration_date), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/)

      await emulator.waitFor(() => ali.queries.every((id) => emulator.callbackAnswers(id) >= 1))
      for (const id of ali.queries) assert.equal(emulator.callbackAnswers(id), 1, `query ${id} answered once`)
      // Only the newest question ever has live buttons: the answered ones were edited.
      const withButtons = emulator.messages(5001).filter((m) => ali.buttons(m).length > 0)
      assert.ok(withButtons.length <= 1)
    })

    it("answers bad input without leaving the loop", async () => {
      const sara = studentDriver(emulator, { id: 5002, first_name: "Sara" })
      emulator.sendSticker(sara.user)
      await sara.expect(/نام خود را به فارسی/)
      sara.say("/whatever")
      await emulator.waitFor(() => emulator.messages(5002).length >= 2)
      sara.shareContact("09121234567")
      await sara.expect(/نیازی نیست/)
      emulator.pushRawUpdate({
        edited_message: { message_id: 1, date: 0, chat: { id: 5002, type: "private" } },
      })
      emulator.pushRawUpdate({
        callback_query: {
          id: "forged-1",
          from: { id: 5002, is_bot: false, first_name: "S" },
          data: "price:1",
        },
      })
      await emulator.waitFor(() =>
        emulator.callsTo("answerCallbackQuery").some((call) => call.params.callback_query_id === "forged-1"),
      )
      sara.say("سارا")
      await sara.expect(/نام خانوادگی/)
      // The offset moves past every update, skipped kinds included.
      await emulator.waitFor(() => emulator.pendingUpdates() === 0)
    })

    it("stops cleanly on SIGTERM", async () => {
      assert.equal(await bot.stop(), 0)
      assert.ok(
        !bot.output().includes(emulator.token.split(":")[1] ?? "?"),
        "the token never reaches the output",
      )
    })
  })
