import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { PNG } from "pngjs"
import { type BotApiEmulator, startBotApiEmulator } from "../../playground/bot-api-emulator.ts"
import { type BotProcess, startBot, temporaryDirectory } from "../support/bot-process.ts"
import { untilReady } from "../support/delivery.ts"
import { studentDriver } from "../support/student-driver.ts"

const ADMIN = { id: 9401, first_name: "مریم" }

describe("/stats with charts: the real bot process, its chart worker, the Bot API emulator", () => {
  let emulator: BotApiEmulator
  let bot: BotProcess
  before(async () => {
    emulator = await startBotApiEmulator()
    emulator.registerUser(ADMIN)
    bot = startBot({
      BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.url,
      USERS_DIR: await temporaryDirectory("charts-users-"),
      ADMIN_USER_IDS: String(ADMIN.id),
    })
    await untilReady(bot, emulator, "polling for updates")
  })
  after(async () => {
    await bot.stop()
    await emulator.close()
  })

  it("sends an admin the text, then four PNG charts captioned in Persian; a student gets neither", async (t) => {
    const ali = studentDriver(emulator, { id: 9402, first_name: "Ali" }, 15_000)
    await ali.register({ first: "علی", last: "رضایی", grade: "دهم", phone: "+989121234567" })
    const photos = () => emulator.messages(ADMIN.id).filter((message) => message.kind === "photo")
    const started = Date.now()
    emulator.sendText(ADMIN, "/stats")
    await emulator.waitFor(() => photos().length === 4, 30_000)
    const took = Date.now() - started
    t.diagnostic(`text and four charts in ${took} ms (the worker started for this first /stats)`)
    const text = emulator.messages(ADMIN.id).find((message) => message.plainText?.startsWith("📊"))
    assert.match(text?.plainText ?? "", /همهٔ دانش‌آموزان: ۱/)
    assert.deepEqual(
      photos().map((photo) => photo.plainText),
      [
        "ثبت‌نام‌ها در ۳۰ روز گذشته",
        "دانش‌آموزان به تفکیک پایه و رشته",
        "استان‌هایی که بیشترین دانش‌آموز را دارند",
        "رسیدها به تفکیک دوره (تومان)",
      ],
    )
    for (const photo of photos()) {
      const image = PNG.sync.read(Buffer.from(photo.file?.content ?? new Uint8Array()))
      assert.ok(image.width > 1000 && image.height > 600, `${image.width}×${image.height}`)
    }
    const again = Date.now()
    emulator.sendText(ADMIN, "/stats provinces")
    await emulator.waitFor(() => photos().length === 5, 15_000)
    t.diagnostic(`one chart with the worker running: ${Date.now() - again} ms`)

    ali.say("/stats")
    await ali.expect(/نمی‌شناسم/)
    assert.ok(emulator.messages(9402).every((message) => message.kind !== "photo"))
  })
})
