import iran from "../data/iran.json" with { type: "json" }
import type { ApiCall, BotApiEmulator, ChatMessage, FakeUser } from "../playground/bot-api-emulator.ts"
import { MENU_TEXTS } from "../src/application/common/menu-texts.ts"
import { LABELS, pageCounter, QUESTIONS } from "../src/domain/registration-texts.ts"

/** The ten steps of a registration, in order, as the bench names them. */
export const STEP_NAMES = [
  "/start",
  "first name",
  "last name",
  "grade",
  "major",
  "provinces page 2",
  "province",
  "city",
  "contact",
  "confirm",
] as const

/** One thing a student does, and how they recognise that the bot has answered it. */
type Step = {
  /** Sends the update; a button press gives the id of its callback query. */
  readonly act: () => object
  readonly answered: (text: string) => boolean
}

export type LoadResult = {
  readonly students: number
  readonly registered: number
  readonly failed: number
  readonly updates: number
  /** From the first update to the last registration, in ms. */
  readonly wallMs: number
  /**
   * Update available → the bot's first call about it, in ms, one per update that got an answer, by step
   * (index 0: /start … 9: confirm): where the slow replies are.
   */
  readonly latenciesByStep: ReadonlyArray<Float64Array>
  readonly failures: ReadonlyArray<string>
}

const FIRST_NAMES = ["علی", "سارا", "محمد", "زهرا", "رضا", "مریم", "حسین", "فاطمه", "امیر", "نرگس"]
const LAST_NAMES = ["رضایی", "احمدی", "کریمی", "حسینی", "موسوی", "محمدی", "جعفری", "نوری"]
/** The words of the bot's last message of a registration, whatever the student's name. */
const REGISTERED = MENU_TEXTS.registered("\u0000").split("\u0000")[1]?.split("\n")[0]?.trim() ?? "ثبت‌نام"
const PAGE_SIZE = 12
const provincePages = Math.ceil(iran.provinces.length / PAGE_SIZE)

const inlineButtons = (message: ChatMessage) =>
  message.reply_markup !== undefined && "inline_keyboard" in message.reply_markup
    ? message.reply_markup.inline_keyboard.flat()
    : []

/** The chat a bot call is about: chat_id, or the student who pressed the button it answers. */
const chatOfCall = (call: ApiCall, queries: Map<string, number>): number | undefined => {
  const chat = call.params.chat_id
  if (typeof chat === "number") return chat
  if (typeof chat === "string" && chat !== "") return Number(chat)
  const query = call.params.callback_query_id
  return typeof query === "string" ? queries.get(query) : undefined
}

/**
 * N students register at once, each as fast as the bot answers: /start, two names, grade, major,
 * the second page of provinces, a province there, a city, the shared contact, confirm. Ten updates.
 * One listener on the emulator routes every bot call to its student (no polling, no scans).
 */
export const registerStudents = (
  emulator: BotApiEmulator,
  count: number,
  options: {
    readonly firstId: number
    readonly stepTimeoutMs?: number
    readonly now: () => number
    /** Called once, when half of the students have registered (e.g. to take a heap snapshot under load). */
    readonly halfway?: () => void
  },
): Promise<LoadResult> => {
  const { now } = options
  const stepTimeoutMs = options.stepTimeoutMs ?? 60_000
  const byStep = STEP_NAMES.map(() => new Float64Array(count))
  const byStepCount = STEP_NAMES.map(() => 0)
  let updates = 0
  let registered = 0
  let failed = 0
  const failures: Array<string> = []
  const queries = new Map<string, number>()
  const waiting = new Map<number, Student>()

  type Student = {
    readonly user: FakeUser
    readonly steps: ReadonlyArray<Step>
    index: number
    pushedAt: number
    answeredFirst: boolean
    /** The button press of the current step: a late answer to an older press is not a reply to this one. */
    queryId: string | undefined
    timer: NodeJS.Timeout | undefined
  }

  let finish: (result: LoadResult) => void = () => {}
  const done = new Promise<LoadResult>((resolve) => {
    finish = resolve
  })
  const started = now()
  let settled = 0
  const settle = () => {
    settled += 1
    if (settled === count) {
      unsubscribe()
      finish({
        students: count,
        registered,
        failed,
        updates,
        wallMs: now() - started,
        latenciesByStep: byStep.map((values, step) => values.slice(0, byStepCount[step])),
        failures,
      })
    }
  }

  const press = (user: FakeUser, label: string): { readonly queryId: string } => {
    const message = emulator
      .messages(user.id)
      .findLast((candidate) => inlineButtons(candidate).some((button) => button.text === label))
    const data = message === undefined ? undefined : inlineButtons(message).find((b) => b.text === label)
    if (message === undefined || data?.callback_data === undefined) throw new Error(`no button «${label}»`)
    const update = emulator.pressButton(user, message.message_id, data.callback_data)
    queries.set(update.callback_query.id, user.id)
    return { queryId: update.callback_query.id }
  }

  /** A button of the newest message that is not navigation, picked by the student's id. */
  const pick = (user: FakeUser, skip: number) => {
    const last = emulator.lastMessage(user.id)
    const options = (last === undefined ? [] : inlineButtons(last)).filter(
      (button) => !(Object.values(LABELS) as Array<string>).includes(button.text),
    )
    const choice = options[(user.id + skip) % Math.max(1, options.length)]
    if (choice === undefined) throw new Error("no option to choose")
    return choice.text
  }

  const stepsOf = (user: FakeUser, phone: string): ReadonlyArray<Step> => {
    let province = ""
    return [
      { act: () => emulator.sendText(user, "/start"), answered: (t) => t.includes(QUESTIONS.first_name) },
      {
        act: () => emulator.sendText(user, user.first_name),
        answered: (t) => t.includes(QUESTIONS.last_name),
      },
      {
        act: () => emulator.sendText(user, user.last_name ?? ""),
        answered: (t) => t.includes(QUESTIONS.grade),
      },
      { act: () => press(user, pick(user, 0)), answered: (t) => t.includes(QUESTIONS.major) },
      { act: () => press(user, pick(user, 1)), answered: (t) => t.includes(QUESTIONS.province) },
      {
        act: () => press(user, LABELS.next),
        answered: (t) => t.includes(QUESTIONS.province) && t.includes(pageCounter(1, provincePages)),
      },
      {
        act: () => {
          province = pick(user, 2)
          return press(user, province)
        },
        answered: (t) => t.includes(QUESTIONS.city(province)),
      },
      { act: () => press(user, pick(user, 3)), answered: (t) => t.includes(QUESTIONS.phone) },
      {
        act: () => emulator.sendContact(user, { phone_number: phone, user_id: user.id }),
        answered: (t) => t.includes(QUESTIONS.confirm),
      },
      { act: () => press(user, LABELS.confirm), answered: (t) => t.includes(REGISTERED) },
    ]
  }

  const fail = (student: Student, reason: string) => {
    clearTimeout(student.timer)
    waiting.delete(student.user.id)
    failed += 1
    if (failures.length < 10) failures.push(`student ${student.user.id} step ${student.index + 1}: ${reason}`)
    settle()
  }

  const next = (student: Student) => {
    clearTimeout(student.timer)
    const step = student.steps[student.index]
    if (step === undefined) {
      waiting.delete(student.user.id)
      registered += 1
      if (registered === Math.ceil(count / 2)) options.halfway?.()
      settle()
      return
    }
    try {
      student.pushedAt = now()
      student.answeredFirst = false
      const sent = step.act()
      student.queryId = "queryId" in sent && typeof sent.queryId === "string" ? sent.queryId : undefined
      updates += 1
      student.timer = setTimeout(() => fail(student, "no answer in time"), stepTimeoutMs)
    } catch (error) {
      fail(student, String(error))
    }
  }

  const onCall = (call: ApiCall) => {
    if (call.method === "getUpdates") return
    const chat = chatOfCall(call, queries)
    const student = chat === undefined ? undefined : waiting.get(chat)
    if (student === undefined) return
    const query = call.params.callback_query_id
    if (call.method === "answerCallbackQuery" && query !== student.queryId) return
    if (!student.answeredFirst) {
      student.answeredFirst = true
      const latency = call.at - student.pushedAt
      const step = byStep[student.index]
      const counted = byStepCount[student.index] ?? 0
      if (step !== undefined) {
        step[counted] = latency
        byStepCount[student.index] = counted + 1
      }
    }
    const text = emulator.lastMessage(student.user.id)?.plainText ?? ""
    if (student.steps[student.index]?.answered(text)) {
      student.index += 1
      // the next move is the student's, not part of the bot's call
      setImmediate(() => next(student))
    }
  }
  const unsubscribe = emulator.onChange((event) => {
    if (event.type === "call") onCall(event.call)
  })

  for (let i = 0; i < count; i++) {
    const id = options.firstId + i
    const user: FakeUser = {
      id,
      first_name: FIRST_NAMES[i % FIRST_NAMES.length] ?? "علی",
      last_name: LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length] ?? "رضایی",
    }
    const phone = `+98912${String(1_000_000 + (i % 9_000_000)).padStart(7, "0")}`
    const student: Student = {
      user,
      steps: stepsOf(user, phone),
      index: 0,
      pushedAt: 0,
      answeredFirst: true,
      queryId: undefined,
      timer: undefined,
    }
    waiting.set(id, student)
  }
  for (const student of waiting.values()) next(student)
  if (count === 0) settle()
  return done
}
