import { Either, Schema } from "effect"
import { type City, findCity, findProvince } from "./geography.ts"
import { parsePersianName } from "./persian-name.ts"
import { normalizePersian } from "./persian-text.ts"
import { type IranianMobile, parsePhone } from "./phone.ts"
import {
  type Answer,
  type Answers,
  FIELDS,
  type Field,
  keyOf,
  newRegistration,
  PAGE_SIZE,
  type RegistrationDraft,
  type Step,
  type Transition,
} from "./registration-draft.ts"
import { type Action, decode, optionsOf, pageCount, question } from "./registration-question.ts"
import { FIELD_LABELS, LABELS, NAME_ERRORS, NOTICES } from "./registration-texts.ts"
import type { Reply } from "./reply.ts"
import { Profile } from "./student.ts"

export const editProfile = (profile: Profile, field?: Field): RegistrationDraft => {
  const draft: RegistrationDraft = {
    ...newRegistration,
    mode: "edit",
    step: "choose_field",
    answers: profile,
  }
  return field === undefined ? draft : enter(draft, field)
}

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
