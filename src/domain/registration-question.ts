import { citiesOf, provinceNames } from "./geography.ts"
import {
  type Answers,
  COLUMNS,
  FIELDS,
  type Field,
  keyOf,
  PAGE_SIZE,
  type RegistrationDraft,
} from "./registration-draft.ts"
import { FIELD_LABELS, LABELS, pageCounter, QUESTIONS, stepCounter } from "./registration-texts.ts"
import type { Choice, Reply } from "./reply.ts"
import { GRADES, MAJORS } from "./school.ts"

export type Action =
  | { readonly kind: "option"; readonly index: number }
  | { readonly kind: "page"; readonly page: number }
  | { readonly kind: "field"; readonly field: Field }
  | { readonly kind: "back" | "cancel" | "confirm" | "edit" }

export const encode = (draft: RegistrationDraft, action: Action): string => {
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

export const decode = (data: string): { readonly revision: number; readonly action: Action } | undefined => {
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

export const optionsOf = (draft: RegistrationDraft): ReadonlyArray<string> => {
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

export const pageCount = (options: ReadonlyArray<string>): number =>
  Math.max(1, Math.ceil(options.length / PAGE_SIZE))

export const chunk = <A>(items: ReadonlyArray<A>, size: number): Array<Array<A>> =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, row) =>
    items.slice(row * size, row * size + size),
  )

export const navigationRow = (draft: RegistrationDraft): Array<Choice> => [
  { label: LABELS.back, data: encode(draft, { kind: "back" }) },
  { label: LABELS.cancel, data: encode(draft, { kind: "cancel" }) },
]

export const summary = (answers: Answers): string =>
  FIELDS.map((field) => `${FIELD_LABELS[field]}: ${answers[keyOf[field]] ?? "—"}`).join("\n")

export const header = (draft: RegistrationDraft): string => {
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
