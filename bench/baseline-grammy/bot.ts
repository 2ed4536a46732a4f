/**
 * The baseline: the same registration flow written the way a competent grammY developer would —
 * grammY, @grammyjs/runner (concurrent long polling, sequentialized per chat) and sessions in files
 * (@grammyjs/storage-file). Texts, buttons and the on-disk student file are the project's, so one
 * simulated student can register with either bot. Dev-only: the bench starts it, the bot never does.
 */
import { mkdirSync } from "node:fs"
import { access, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { run, sequentialize } from "@grammyjs/runner"
import { FileAdapter } from "@grammyjs/storage-file"
import { Bot, type Context, InlineKeyboard, Keyboard, type SessionFlavor, session } from "grammy"
import iran from "../../data/iran.json" with { type: "json" }
import { MENU, MENU_TEXTS } from "../../src/application/common/menu-texts.ts"
import {
  FIELD_LABELS,
  LABELS,
  NOTICES,
  pageCounter,
  QUESTIONS,
  stepCounter,
} from "../../src/domain/registration-texts.ts"

const STEPS = ["first_name", "last_name", "grade", "major", "province", "city", "phone"] as const
type Field = (typeof STEPS)[number]
type Step = Field | "confirm"

type Registration = {
  step: Step
  page: number
  prompt?: number | undefined
  answers: Partial<Record<Field, string>>
}
type SessionData = { registration?: Registration | undefined }
type BotContext = Context & SessionFlavor<SessionData>

const token = process.env.BOT_TOKEN ?? ""
const apiRoot = process.env.TELEGRAM_API_ROOT ?? "https://api.telegram.org"
const usersDir = process.env.USERS_DIR ?? "users"
const sessionsDir = process.env.SESSIONS_DIR ?? "sessions"
mkdirSync(usersDir, { recursive: true })

const PAGE_SIZE = 12
const provinces: ReadonlyArray<{ name: string; cities: ReadonlyArray<string> }> = iran.provinces
const NAME =
  /^[\u0621-\u063A\u0641-\u064A\u067E\u0686\u0698\u06A9\u06AF\u06CC\u06C0]+(?:[ \u200C][\u0621-\u063A\u0641-\u064A\u067E\u0686\u0698\u06A9\u06AF\u06CC\u06C0]+)*$/

const toLatin = (text: string) =>
  text.replace(/[۰-۹٠-٩]/g, (digit) => String((digit.charCodeAt(0) & 0xf) % 10))
const normalizeName = (text: string) => text.replace(/ي/g, "ی").replace(/ك/g, "ک").replace(/\s+/g, " ").trim()
const parsePhone = (text: string): string | undefined => {
  const national = toLatin(text)
    .replace(/[\s\-().]/g, "")
    .replace(/^(?:\+98|0098|98(?=9\d{9}$)|0)/, "")
  return /^9\d{9}$/.test(national) ? `+98${national}` : undefined
}

const optionsOf = (registration: Registration): ReadonlyArray<string> => {
  switch (registration.step) {
    case "grade":
      return iran.grades
    case "major":
      return iran.majors
    case "province":
      return provinces.map((province) => province.name)
    case "city":
      return provinces.find((province) => province.name === registration.answers.province)?.cities ?? []
    default:
      return []
  }
}

const navigation = (keyboard: InlineKeyboard) =>
  keyboard.row().text(LABELS.back, "back").text(LABELS.cancel, "cancel")

const summary = (answers: Registration["answers"]) =>
  STEPS.map((field) => `${FIELD_LABELS[field]}: ${answers[field] ?? "—"}`).join("\n")

const questionOf = (registration: Registration): { text: string; keyboard: InlineKeyboard | Keyboard } => {
  const { step } = registration
  if (step === "confirm") {
    return {
      text: `${QUESTIONS.confirm}\n\n${summary(registration.answers)}`,
      keyboard: new InlineKeyboard()
        .text(LABELS.confirm, "confirm")
        .row()
        .text(LABELS.edit, "edit")
        .text(LABELS.cancel, "cancel"),
    }
  }
  const counter = `${stepCounter(STEPS.indexOf(step) + 1, STEPS.length)}\n`
  if (step === "first_name" || step === "last_name") {
    return { text: counter + QUESTIONS[step], keyboard: navigation(new InlineKeyboard()) }
  }
  if (step === "phone") {
    return {
      text: counter + QUESTIONS.phone,
      keyboard: new Keyboard()
        .requestContact(LABELS.shareContact)
        .row()
        .text(LABELS.back)
        .text(LABELS.cancel)
        .resized()
        .persistent(),
    }
  }
  const options = optionsOf(registration)
  const pages = Math.ceil(options.length / PAGE_SIZE)
  const keyboard = new InlineKeyboard()
  const first = registration.page * PAGE_SIZE
  options.slice(first, first + PAGE_SIZE).forEach((option, offset) => {
    const columns = step === "grade" || step === "major" ? 4 : 2
    if (offset > 0 && offset % columns === 0) keyboard.row()
    keyboard.text(option, `o:${first + offset}`)
  })
  if (pages > 1) {
    keyboard.row()
    if (registration.page > 0) keyboard.text(LABELS.previous, `p:${registration.page - 1}`)
    if (registration.page < pages - 1) keyboard.text(LABELS.next, `p:${registration.page + 1}`)
  }
  const text = step === "city" ? QUESTIONS.city(registration.answers.province ?? "") : QUESTIONS[step]
  return {
    text: counter + text + (pages > 1 ? `\n${pageCounter(registration.page, pages)}` : ""),
    keyboard: navigation(keyboard),
  }
}

const mainMenu = () =>
  new Keyboard()
    .text(MENU.classes)
    .text(MENU.book)
    .row()
    .text(MENU.profile)
    .text(MENU.editProfile)
    .row()
    .text(MENU.contact)
    .resized()

/** Takes the buttons off the previous question, showing the answer when there is one. */
const retire = async (ctx: BotContext, registration: Registration, answered?: string) => {
  const chat = ctx.chat?.id
  if (registration.prompt === undefined || chat === undefined) return
  const prompt = registration.prompt
  registration.prompt = undefined
  try {
    if (answered === undefined) await ctx.api.editMessageReplyMarkup(chat, prompt)
    else await ctx.api.editMessageText(chat, prompt, answered)
  } catch {
    // an old question that is gone is no reason to fail the answer
  }
}

const ask = async (ctx: BotContext, registration: Registration, answered?: string, notice?: string) => {
  await retire(ctx, registration, answered)
  const { text, keyboard } = questionOf(registration)
  const sent = await ctx.reply(notice === undefined ? text : `${notice}\n\n${text}`, {
    reply_markup: keyboard,
  })
  if (keyboard instanceof InlineKeyboard) registration.prompt = sent.message_id
  ctx.session.registration = registration
}

const accept = async (
  ctx: BotContext,
  registration: Registration,
  field: Field,
  value: string,
  answered?: string,
) => {
  registration.answers[field] = value
  registration.step = STEPS[STEPS.indexOf(field) + 1] ?? "confirm"
  registration.page = 0
  if (field === "phone") {
    await ctx.reply(NOTICES.phoneSaved, { reply_markup: { remove_keyboard: true } })
  }
  await ask(ctx, registration, answered)
}

const studentFile = (id: number) => join(usersDir, `user_${id}.json`)
const isRegistered = (id: number) =>
  access(studentFile(id)).then(
    () => true,
    () => false,
  )

const bot = new Bot<BotContext>(token, { client: { apiRoot } })

bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString()))
bot.use(
  session({
    initial: (): SessionData => ({}),
    storage: new FileAdapter<SessionData>({ dirName: sessionsDir }),
  }),
)

bot.command("start", async (ctx) => {
  if (ctx.session.registration === undefined && (await isRegistered(ctx.from?.id ?? 0))) {
    await ctx.reply(MENU_TEXTS.menuHint, { reply_markup: mainMenu() })
    return
  }
  const registration = ctx.session.registration ?? { step: "first_name", page: 0, answers: {} }
  if (ctx.session.registration === undefined) await ctx.reply(MENU_TEXTS.welcome)
  await ask(ctx, registration)
})

const cancel = async (ctx: BotContext, registration: Registration) => {
  await retire(ctx, registration)
  ctx.session.registration = undefined
  await ctx.reply(MENU_TEXTS.registrationCancelled, { reply_markup: { remove_keyboard: true } })
}

const back = async (ctx: BotContext, registration: Registration) => {
  const index = registration.step === "confirm" ? STEPS.length : STEPS.indexOf(registration.step)
  registration.step = STEPS[Math.max(0, index - 1)] ?? "first_name"
  registration.page = 0
  await ask(ctx, registration)
}

bot.on("message:text", async (ctx) => {
  const registration = ctx.session.registration
  if (registration === undefined) {
    await ctx.reply(MENU_TEXTS.menuHint)
    return
  }
  const text = ctx.message.text
  if (text === LABELS.back) return back(ctx, registration)
  if (text === LABELS.cancel) return cancel(ctx, registration)
  const step = registration.step
  if (step === "first_name" || step === "last_name") {
    const name = normalizeName(text)
    if (!NAME.test(name) || name.length < 2 || name.length > 50) {
      return ask(ctx, registration, undefined, NOTICES.typeText)
    }
    return accept(ctx, registration, step, name)
  }
  if (step === "phone") {
    const phone = parsePhone(text)
    return phone === undefined
      ? ask(ctx, registration, undefined, NOTICES.invalidPhone)
      : accept(ctx, registration, "phone", phone)
  }
  return ask(ctx, registration, undefined, NOTICES.chooseFromButtons)
})

bot.on("message:contact", async (ctx) => {
  const registration = ctx.session.registration
  if (registration?.step !== "phone") {
    await ctx.reply(NOTICES.contactNotNow)
    return
  }
  if (ctx.message.contact.user_id !== ctx.from.id)
    return ask(ctx, registration, undefined, NOTICES.notOwnContact)
  const phone = parsePhone(ctx.message.contact.phone_number)
  return phone === undefined
    ? ask(ctx, registration, undefined, NOTICES.invalidPhone)
    : accept(ctx, registration, "phone", phone)
})

bot.on("callback_query:data", async (ctx) => {
  await ctx.answerCallbackQuery()
  const registration = ctx.session.registration
  const data = ctx.callbackQuery.data
  const pressed = ctx.callbackQuery.message?.message_id
  if (registration === undefined || pressed !== registration.prompt) return
  if (data === "back") return back(ctx, registration)
  if (data === "cancel") return cancel(ctx, registration)
  if (data === "confirm" && registration.step === "confirm") {
    await retire(ctx, registration)
    const now = new Date().toISOString()
    const { answers } = registration
    const student = {
      user_id: ctx.from.id,
      first_name: answers.first_name,
      last_name: answers.last_name,
      grade: answers.grade,
      major: answers.major,
      province: answers.province,
      city: answers.city,
      phone: answers.phone,
      registration_date: now,
      last_updated: now,
    }
    await writeFile(studentFile(ctx.from.id), `${JSON.stringify(student, null, 2)}\n`)
    ctx.session.registration = undefined
    await ctx.reply(MENU_TEXTS.registered(`${answers.first_name} ${answers.last_name}`), {
      reply_markup: mainMenu(),
    })
    return
  }
  const [kind, number] = data.split(":")
  if (kind === "p") {
    registration.page = Number(number)
    const { text, keyboard } = questionOf(registration)
    if (keyboard instanceof InlineKeyboard) await ctx.editMessageText(text, { reply_markup: keyboard })
    return
  }
  const value = optionsOf(registration)[Number(number)]
  if (kind !== "o" || value === undefined || registration.step === "confirm") return
  const field = registration.step
  return accept(ctx, registration, field, value, `${FIELD_LABELS[field]}: ${value} ✔️`)
})

bot.catch((error) => console.error("update failed", error.error))

const runner = run(bot)
console.log("baseline: polling for updates")
const stop = () => {
  void runner.stop().then(() => process.exit(0))
}
process.once("SIGTERM", stop)
process.once("SIGINT", stop)
