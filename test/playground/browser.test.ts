import assert from "node:assert/strict"
import { existsSync } from "node:fs"
import { mkdir, readFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import { after, before, describe, it } from "node:test"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { type BotProcess, startBot, temporaryDirectory, waitForOutput } from "../support/bot-process.ts"

const CHROMIUM = "/usr/bin/chromium"
const SCREENSHOT = resolve(import.meta.dirname, "../../docs/playground.png")
const WAIT = { timeout: 10_000 }

/**
 * `npm start` without a token, for real: the src/main.ts process, and a person in headless Chromium who
 * registers on the playground page by clicking and typing.
 */
describe("the playground in a browser", () => {
  let bot: BotProcess
  let browser: BrowserContext
  let page: Page
  let usersDir: string
  let address: string

  /** The bot's newest message, once its text matches. */
  const botSays = (pattern: RegExp) =>
    page.locator("#messages .message.bot").last().filter({ hasText: pattern }).waitFor(WAIT)
  const type = async (text: string) => {
    await page.locator("#text").fill(text)
    await page.locator("#text").press("Enter")
  }
  /** Presses an inline button on the newest bot message that has it, as a person would. */
  const press = (label: string) =>
    page.locator('#messages [data-action="press"]', { hasText: label }).last().click(WAIT)

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium chromium-driver`)
    usersDir = await temporaryDirectory("playground-users-")
    // What `npm start` runs, without BOT_TOKEN (startBot passes only PATH and what is given here).
    bot = startBot({ USERS_DIR: usersDir, PORT: "0", LOG_LEVEL: "INFO" })
    address = (await waitForOutput(bot, /Open (http:\/\/127\.0\.0\.1:\d+\/playground) in a browser/))[1] ?? ""
    await waitForOutput(bot, /polling for updates/)
    browser = await chromium.launchPersistentContext(await temporaryDirectory("chromium-profile-"), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 560, height: 860 },
      locale: "fa-IR",
    })
    page = browser.pages()[0] ?? (await browser.newPage())
  })

  after(async () => {
    await browser?.close()
    if (bot !== undefined) assert.equal(await bot.stop(), 0, "SIGTERM ends the playground cleanly")
  })

  it("prints the page's address, and the page is a right-to-left chat with a START button", async () => {
    assert.match(bot.output(), new RegExp(`Students are saved in ${usersDir}`))
    await page.goto(address)
    assert.equal(await page.locator("html").getAttribute("dir"), "rtl")
    await page.locator("#keyboard button.start").waitFor(WAIT)
    assert.equal(await page.locator("#persona").inputValue(), "7001")
  })

  it("registers a student by clicking and typing, and the file appears on disk", async () => {
    await page.locator("#keyboard button.start").click()
    await botSays(/نام خود را به فارسی/)
    await type("Sara")
    await botSays(/حروف فارسی/)
    await type("سارا")
    await botSays(/نام خانوادگی/)
    await type("احمدی")
    await botSays(/پایهٔ تحصیلی/)
    await press("یازدهم")
    await botSays(/رشتهٔ تحصیلی/)
    await press("ریاضی")
    await botSays(/استان محل زندگی/)
    await press("بعدی")
    await press("فارس")
    await botSays(/شهر خود را در استان فارس/)
    await press("شیراز")
    await botSays(/شماره موبایل/)
    // the reply keyboard's contact button shares the pretend student's own number
    await page.locator('#keyboard [data-action="contact"]', { hasText: "ارسال شماره من" }).click(WAIT)
    await botSays(/بررسی کنید/)
    const summary = (await page.locator("#messages .message.bot").last().textContent()) ?? ""
    assert.match(summary, /سارا/)
    assert.match(summary, /شیراز/)
    // docs/playground.png is the README's picture: rewritten on request (or when missing), so that a test
    // run does not leave a changed image behind every time
    const update = process.env.UPDATE_SCREENSHOT === "1" || !existsSync(SCREENSHOT)
    const target = update ? SCREENSHOT : join(await temporaryDirectory("playground-shot-"), "playground.png")
    await mkdir(resolve(SCREENSHOT, ".."), { recursive: true })
    const png = await page.screenshot({ path: target })
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG image")
    assert.equal(await page.locator("#record.saved").count(), 0, "nothing on disk before the confirmation")
    await press("تایید")
    await botSays(/ثبت‌نام شما با موفقیت/)

    // the student's message bubbles are there too, formatted as sent
    assert.equal(await page.locator("#messages .message.user .text", { hasText: /^احمدی$/ }).count(), 1)
    assert.equal(
      await page.locator("#messages .message.user .contact", { hasText: "+989120007001" }).count(),
      1,
    )
    await page.locator("#record.saved").waitFor(WAIT)
    assert.match((await page.locator("#record").textContent()) ?? "", /user_7001\.json/)

    const file = JSON.parse(await readFile(join(usersDir, "user_7001.json"), "utf8"))
    assert.equal(file.user_id, 7001)
    assert.equal(file.first_name, "سارا")
    assert.equal(file.last_name, "احمدی")
    assert.equal(file.grade, "یازدهم")
    assert.equal(file.major, "ریاضی")
    assert.equal(file.province, "فارس")
    assert.equal(file.city, "شیراز")
    assert.equal(file.phone, "+989120007001")
  })

  it("acts as an admin in another chat, and sends a photo from there", async () => {
    await page.locator("#persona").selectOption("1000")
    await page.locator("#keyboard button.start").waitFor(WAIT)
    assert.equal(await page.locator("#messages .message").count(), 0, "the admin's own, empty chat")
    assert.match(page.url(), /#1000$/)
    await page.locator("#photo-input").setInputFiles({
      name: "receipt.png",
      mimeType: "image/png",
      // a 1×1 PNG
      buffer: Buffer.from(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
        "base64",
      ),
    })
    const photo = page.locator("#messages .message.user img.photo")
    await photo.waitFor(WAIT)
    // the image really loads from the page server
    await page.waitForFunction(
      'document.querySelector("#messages .message.user img.photo")?.naturalWidth === 1',
      undefined,
      WAIT,
    )
    // and back: Sara's chat is as she left it
    await page.locator("#persona").selectOption("7001")
    await botSays(/ثبت‌نام شما با موفقیت/)
  })

  it("shows an admin's /stats: the text, then the four charts drawn in Persian", async () => {
    await page.locator("#persona").selectOption("1000")
    await type("/stats")
    const charts = page.locator("#messages .message.bot img.photo")
    await page.waitForFunction(
      `[...document.querySelectorAll("#messages .message.bot img.photo")].filter((image) => image.naturalWidth > 1000).length === 4`,
      undefined,
      { timeout: 30_000 },
    )
    assert.equal(await charts.count(), 4)
    assert.equal(await page.locator("#messages .message.bot", { hasText: "📊 آمار" }).count(), 1)
    await page.locator("#persona").selectOption("7001")
    await botSays(/ثبت‌نام شما با موفقیت/)
  })
})
