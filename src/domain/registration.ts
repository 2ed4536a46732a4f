import { Either, Schema } from "effect"
import { City, citiesOf, findCity, findProvince, Province, provinceNames } from "./geography.ts"
import { PersianName, parsePersianName } from "./persian-name.ts"
import { normalizePersian } from "./persian-text.ts"
import { IranianMobile, parsePhone } from "./phone.ts"
import {
  FIELD_LABELS,
  LABELS,
  NAME_ERRORS,
  NOTICES,
  pageCounter,
  QUESTIONS,
  stepCounter,
} from "./registration-texts.ts"
import type { Choice, Reply } from "./reply.ts"
import { GRADES, Grade, MAJORS, Major } from "./school.ts"
import { Profile } from "./student.ts"

/** The questions of a registration, in the order they are asked. */
export const Field = Schema.Literal("first_name", "last_name", "grade", "major", "province", "city", "phone")
export type Field = typeof Field.Type
export const FIELDS: ReadonlyArray<Field> = Field.literals

export const Step = Schema.Literal(...Field.literals, "confirm", "choose_field")
export type Step = typeof Step.Type

/** Where a student is in registering (mode "register") or in changing one field (mode "edit"). */
export const RegistrationDraft = Schema.Struct({
  mode: Schema.Literal("register", "edit"),
  step: Step,
  /** Bumped on every transition; buttons carry it, so a button of an older message is recognised as stale. */
  revision: Schema.Number.pipe(Schema.int(), Schema.nonNegative()),
  page: Schema.Number.pipe(Schema.int(), Schema.nonNegative()),
  /** Register mode after the summary: an answer returns to the summary instead of the next question. */
  revisiting: Schema.Boolean,
  answers: Schema.Struct({
    firstName: Schema.optionalWith(PersianName, { exact: true }),
    lastName: Schema.optionalWith(PersianName, { exact: true }),
    grade: Schema.optionalWith(Grade, { exact: true }),
    major: Schema.optionalWith(Major, { exact: true }),
    province: Schema.optionalWith(Province, { exact: true }),
    city: Schema.optionalWith(City, { exact: true }),
    phone: Schema.optionalWith(IranianMobile, { exact: true }),
  }),
})
export type RegistrationDraft = typeof RegistrationDraft.Type
type Answers = RegistrationDraft["answers"]

/** What the student did. `own` tells whether a shared contact is the sender's own. */
export type Answer =
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "Button"; readonly data: string }
  | { readonly _tag: "Contact"; readonly phone: string; readonly own: boolean }
  | { readonly _tag: "Unsupported" }

export type Transition =
  /** Ask `replies`; `inPlace` replaces the message whose button was pressed; `answered` retires it. */
  | {
      readonly _tag: "Ask"
      readonly draft: RegistrationDraft
      readonly replies: ReadonlyArray<Reply>
      readonly inPlace: boolean
      readonly answered?: string
    }
  | { readonly _tag: "Done"; readonly mode: RegistrationDraft["mode"]; readonly profile: Profile }
  | { readonly _tag: "Cancelled"; readonly mode: RegistrationDraft["mode"] }
  /** A stale, forged or double-tapped button: nothing changes, the student gets a short notice. */
  | { readonly _tag: "Ignored"; readonly notice: string }

export const PAGE_SIZE = 12
const COLUMNS = 2

export const newRegistration: RegistrationDraft = {
  mode: "register",
  step: "first_name",
  revision: 0,
  page: 0,
  revisiting: false,
  answers: {},
}

export const editProfile = (profile: Profile, field?: Field): RegistrationDraft => {
  const draft: RegistrationDraft = {
    ...newRegistration,
    mode: "edit",
    step: "choose_field",
    answers: profile,
  }
  return field === undefined ? draft : enter(draft, field)
}

// ---- buttons ------------------------------------------------------------------------------------

type Action =
  | { readonly kind: "option"; readonly index: number }
  | { readonly kind: "page"; readonly page: number }
  | { readonly kind: "field"; readonly field: Field }
  | { readonly kind: "back" | "cancel" | "confirm" | "edit" }

const encode = (draft: RegistrationDraft, action: Action): string => {
  const code =
    action.kind === "option"
      ? `o${action.index}`
      : action.kind === "page"
        ? `p${action.page}`
        : action.kind === "field"
          ? `f${FIELDS.indexOf(action.field)}`
          : action.kind
  return `r${draft.revision}:${code}`
}

const decode = (data: string): { readonly revision: number; readonly action: Action } | undefined => {
  const match = /^r(\d{1,9}):(?:([opf])(\d{1,3})|(back|cancel|confirm|edit))$/.exec(data)
  if (match === null) return undefined
  const revision = Number(match[1])
  const [prefix, number, word] = [match[2], Number(match[3]), match[4]]
  if (word !== undefined)
    return { revision, action: { kind: word as "back" | "cancel" | "confirm" | "edit" } }
  if (prefix === "o") return { revision, action: { kind: "option", index: number } }
  if (prefix === "p") return { revision, action: { kind: "page", page: number } }
  const field = FIELDS[number]
  return field === undefined ? undefined : { revision, action: { kind: "field", field } }
}

/** True for data this machine could have put on a button (of any revision). */
export const isRegistrationButton = (data: string): boolean => decode(data) !== undefined

// ---- questions ----------------------------------------------------------------------------------

const optionsOf = (draft: RegistrationDraft): ReadonlyArray<string> => {
  switch (draft.step) {
    case "grade":
      return GRADES
    case "major":
      return MAJORS
    case "province":
      return provinceNames
    case "city":
      return draft.answers.province === undefined ? [] : citiesOf(draft.answers.province)
    default:
      return []
  }
}

const pageCount = (options: ReadonlyArray<string>): number =>
  Math.max(1, Math.ceil(options.length / PAGE_SIZE))

const chunk = <A>(items: ReadonlyArray<A>, size: number): Array<Array<A>> =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, row) =>
    items.slice(row * size, row * size + size),
  )

const navigationRow = (draft: RegistrationDraft): Array<Choice> => [
  { label: LABELS.back, data: encode(draft, { kind: "back" }) },
  { label: LABELS.cancel, data: encode(draft, { kind: "cancel" }) },
]

export const summary = (answers: Answers): string =>
  FIELDS.map((field) => `${FIELD_LABELS[field]}: ${answers[keyOf[field]] ?? "—"}`).join("\n")

const header = (draft: RegistrationDraft): string => {
  const index = FIELDS.indexOf(draft.step as Field)
  return draft.mode === "register" && !draft.revisiting && index >= 0
    ? `${stepCounter(index + 1, FIELDS.length)}\n`
    : ""
}

/** The question of the draft's current step, with its buttons. */
export const question = (draft: RegistrationDraft): Reply => {
  const { step } = draft
  switch (step) {
    case "first_name":
    case "last_name":
      return { text: header(draft) + QUESTIONS[step], choices: [navigationRow(draft)] }
    case "phone":
      return {
        text: header(draft) + QUESTIONS.phone,
        keyboard: [
          [{ label: LABELS.shareContact, requestContact: true }],
          [{ label: LABELS.back }, { label: LABELS.cancel }],
        ],
      }
    case "confirm":
      return {
        text: `${QUESTIONS.confirm}\n\n${summary(draft.answers)}`,
        choices: [
          [{ label: LABELS.confirm, data: encode(draft, { kind: "confirm" }) }],
          [
            { label: LABELS.edit, data: encode(draft, { kind: "edit" }) },
            { label: LABELS.cancel, data: encode(draft, { kind: "cancel" }) },
          ],
        ],
      }
    case "choose_field":
      return {
        text: `${QUESTIONS.chooseField}\n\n${summary(draft.answers)}`,
        choices: [
          ...chunk(
            FIELDS.map((field) => ({
              label: FIELD_LABELS[field],
              data: encode(draft, { kind: "field", field }),
            })),
            COLUMNS,
          ),
          [{ label: LABELS.back, data: encode(draft, { kind: "back" }) }],
        ],
      }
    default: {
      const options = optionsOf(draft)
      const pages = pageCount(options)
      const first = draft.page * PAGE_SIZE
      const buttons = options
        .slice(first, first + PAGE_SIZE)
        .map((label, offset) => ({ label, data: encode(draft, { kind: "option", index: first + offset }) }))
      const paging: Array<Choice> = []
      if (draft.page > 0)
        paging.push({ label: LABELS.previous, data: encode(draft, { kind: "page", page: draft.page - 1 }) })
      if (draft.page < pages - 1)
        paging.push({ label: LABELS.next, data: encode(draft, { kind: "page", page: draft.page + 1 }) })
      const text = step === "city" ? QUESTIONS.city(draft.answers.province ?? "") : QUESTIONS[step]
      return {
        text: header(draft) + text + (pages > 1 ? `\n${pageCounter(draft.page, pages)}` : ""),
        choices: [
          ...chunk(buttons, step === "grade" || step === "major" ? 4 : COLUMNS),
          ...(paging.length > 0 ? [paging] : []),
          navigationRow(draft),
        ],
      }
    }
  }
}

// ---- transitions --------------------------------------------------------------------------------

const keyOf = {
  first_name: "firstName",
  last_name: "lastName",
  grade: "grade",
  major: "major",
  province: "province",
  city: "city",
  phone: "phone",
} as const satisfies Record<Field, keyof Answers>

const completeProfile = (answers: Answers): Profile | undefined =>
  Either.getOrUndefined(Schema.decodeUnknownEither(Profile)(answers))

/** Moves to `step`, opening list steps on the page that holds the current answer. */
const enter = (draft: RegistrationDraft, step: Step, revisiting = draft.revisiting): RegistrationDraft => {
  const moved: RegistrationDraft = { ...draft, step, revisiting, page: 0, revision: draft.revision + 1 }
  const current = FIELDS.includes(step as Field) ? moved.answers[keyOf[step as Field]] : undefined
  const index = current === undefined ? -1 : optionsOf(moved).indexOf(current)
  return index < 0 ? moved : { ...moved, page: Math.floor(index / PAGE_SIZE) }
}

const ask = (draft: RegistrationDraft, notice?: string, answered?: string): Transition => {
  const next = question(draft)
  const replies: Array<Reply> = []
  if (notice !== undefined && answered === undefined)
    replies.push({ ...next, text: `${notice}\n\n${next.text}` })
  else replies.push(next)
  return { _tag: "Ask", draft, replies, inPlace: false, ...(answered === undefined ? {} : { answered }) }
}

/** After an answer outside the first walk: the first missing field, else the summary (or done, when editing). */
const resume = (draft: RegistrationDraft, answered?: string): Transition => {
  const missing = FIELDS.find((field) => draft.answers[keyOf[field]] === undefined)
  if (missing !== undefined) return ask(enter(draft, missing), undefined, answered)
  if (draft.mode === "register") return ask(enter(draft, "confirm"), undefined, answered)
  const profile = completeProfile(draft.answers)
  return profile === undefined ? ask(enter(draft, "province")) : { _tag: "Done", mode: "edit", profile }
}

const accept = (draft: RegistrationDraft, field: Field, value: string, answered?: string): Transition => {
  const answers: Answers = { ...draft.answers, [keyOf[field]]: value }
  if (field === "province" && draft.answers.province !== value) delete (answers as { city?: City }).city
  const updated: RegistrationDraft = { ...draft, answers }
  if (field === "province") return ask(enter(updated, "city"), undefined, answered)
  if (draft.mode === "register" && !draft.revisiting) {
    const next = FIELDS[FIELDS.indexOf(field) + 1]
    return ask(enter(updated, next ?? "confirm"), undefined, answered)
  }
  return resume(updated, answered)
}

const back = (draft: RegistrationDraft): Transition => {
  const { step, mode } = draft
  if (step === "city") return ask(enter(draft, "province"))
  if (mode === "edit")
    return step === "choose_field" ? { _tag: "Cancelled", mode } : ask(enter(draft, "choose_field"))
  if (draft.revisiting || step === "choose_field") return resume(draft)
  const previous = FIELDS[FIELDS.indexOf(step as Field) - 1]
  return ask(enter(draft, step === "confirm" ? "phone" : (previous ?? step)))
}

const UNKNOWN_BUTTON: Transition = { _tag: "Ignored", notice: NOTICES.unknownButton }

const choose = (draft: RegistrationDraft, action: Action): Transition => {
  switch (action.kind) {
    case "back":
      return back(draft)
    case "cancel":
      return { _tag: "Cancelled", mode: draft.mode }
    case "edit":
      return draft.step === "confirm" ? ask(enter(draft, "choose_field", true)) : UNKNOWN_BUTTON
    case "confirm": {
      const profile = draft.step === "confirm" ? completeProfile(draft.answers) : undefined
      return profile === undefined ? UNKNOWN_BUTTON : { _tag: "Done", mode: draft.mode, profile }
    }
    case "field":
      return draft.step === "choose_field"
        ? ask(enter(draft, action.field, draft.mode === "register"))
        : UNKNOWN_BUTTON
    case "page": {
      const pages = pageCount(optionsOf(draft))
      if (optionsOf(draft).length === 0 || action.page >= pages) return UNKNOWN_BUTTON
      const turned = { ...draft, page: action.page, revision: draft.revision + 1 }
      return { _tag: "Ask", draft: turned, replies: [question(turned)], inPlace: true }
    }
    case "option": {
      const value = optionsOf(draft)[action.index]
      if (value === undefined) return UNKNOWN_BUTTON
      return accept(draft, draft.step as Field, value, `${FIELD_LABELS[draft.step as Field]}: ${value} ✔️`)
    }
  }
}

const matchesLabel = (text: string, label: string): boolean =>
  text === label || text === label.replace(/[^\u0600-\u06FF\u200C ]/g, "").trim()

const typedOption = (draft: RegistrationDraft, text: string): string | undefined => {
  switch (draft.step) {
    case "province":
      return findProvince(text)
    case "city":
      return draft.answers.province === undefined ? undefined : findCity(draft.answers.province, text)
    default:
      return optionsOf(draft).find((option) => option === text)
  }
}

const typed = (draft: RegistrationDraft, raw: string): Transition => {
  const text = normalizePersian(raw)
  if (matchesLabel(text, LABELS.back)) return back(draft)
  if (matchesLabel(text, LABELS.cancel)) return { _tag: "Cancelled", mode: draft.mode }
  switch (draft.step) {
    case "first_name":
    case "last_name":
      return Either.match(parsePersianName(raw), {
        onLeft: (error) => ask(bump(draft), NAME_ERRORS[error.reason]),
        onRight: (name) => accept(draft, draft.step as Field, name),
      })
    case "phone":
      return Either.match(parsePhone(raw), {
        onLeft: () => ask(bump(draft), NOTICES.invalidPhone),
        onRight: (phone) => acceptPhone(draft, phone),
      })
    case "confirm":
    case "choose_field":
      return ask(bump(draft), NOTICES.chooseFromButtons)
    default: {
      const option = typedOption(draft, text)
      return option === undefined
        ? ask(bump(draft), NOTICES.chooseFromButtons)
        : accept(draft, draft.step, option)
    }
  }
}

/** Leaving the phone step also takes its contact keyboard away, in a message of its own. */
const acceptPhone = (draft: RegistrationDraft, phone: IranianMobile): Transition => {
  const next = accept(draft, "phone", phone)
  if (next._tag !== "Ask") return next
  return { ...next, replies: [{ text: NOTICES.phoneSaved, removeKeyboard: true }, ...next.replies] }
}

const bump = (draft: RegistrationDraft): RegistrationDraft => ({ ...draft, revision: draft.revision + 1 })

/** The registration state machine: one answer in, the next draft and what to say out. */
export const answer = (draft: RegistrationDraft, input: Answer): Transition => {
  switch (input._tag) {
    case "Button": {
      const decoded = decode(input.data)
      if (decoded === undefined) return UNKNOWN_BUTTON
      if (decoded.revision !== draft.revision) return { _tag: "Ignored", notice: NOTICES.staleButton }
      return choose(draft, decoded.action)
    }
    case "Text":
      return typed(draft, input.text)
    case "Contact": {
      if (draft.step !== "phone") return ask(bump(draft), NOTICES.contactNotNow)
      if (!input.own) return ask(bump(draft), NOTICES.notOwnContact)
      return Either.match(parsePhone(input.phone), {
        onLeft: () => ask(bump(draft), NOTICES.invalidPhone),
        onRight: (phone) => acceptPhone(draft, phone),
      })
    }
    case "Unsupported": {
      const isTextStep = draft.step === "first_name" || draft.step === "last_name" || draft.step === "phone"
      return ask(bump(draft), isTextStep ? NOTICES.typeText : NOTICES.chooseFromButtons)
    }
  }
}
