import { ParseResult, Schema } from "effect"
import { buttonCodec, numberField } from "./button-data.ts"
import { citiesOf, provinceNames } from "./geography.ts"
import {
  type Answers,
  COLUMNS,
  FIELDS,
  Field,
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

/** A registration button: its action, for the draft's revision it was shown with (older ones are stale). */
type Press =
  | { readonly _tag: "Option"; readonly revision: number; readonly index: number }
  | { readonly _tag: "Page"; readonly revision: number; readonly page: number }
  | { readonly _tag: "Field"; readonly revision: number; readonly field: Field }
  | { readonly _tag: "Back"; readonly revision: number }
  | { readonly _tag: "Cancel"; readonly revision: number }
  | { readonly _tag: "Confirm"; readonly revision: number }
  | { readonly _tag: "Edit"; readonly revision: number }

/** A field by its place in FIELDS (a number on the button). */
const fieldByIndex = Schema.transformOrFail(numberField(3).schema, Schema.Literal(...Field.literals), {
  strict: true,
  decode: (index, _, ast) => {
    const field = FIELDS[index]
    return field === undefined
      ? ParseResult.fail(new ParseResult.Type(ast, index))
      : ParseResult.succeed(field)
  },
  encode: (field) => ParseResult.succeed(FIELDS.indexOf(field)),
})

/** The registration's buttons on the one button-data engine (domain/button-data.ts): `r<revision>:<code>`. */
const PRESSES = buttonCodec<Press>()(
  {
    revision: numberField(9),
    index: numberField(3),
    page: numberField(3),
    field: { pattern: "\\d{1,3}", schema: fieldByIndex, write: (field) => String(FIELDS.indexOf(field)) },
  },
  {
    Option: "r{revision}:o{index}",
    Page: "r{revision}:p{page}",
    Field: "r{revision}:f{field}",
    Back: "r{revision}:back",
    Cancel: "r{revision}:cancel",
    Confirm: "r{revision}:confirm",
    Edit: "r{revision}:edit",
  },
)

const WORDS = { back: "Back", cancel: "Cancel", confirm: "Confirm", edit: "Edit" } as const

export const encode = ({ revision }: RegistrationDraft, action: Action): string => {
  switch (action.kind) {
    case "option":
      return PRESSES.write({ _tag: "Option", revision, index: action.index })
    case "page":
      return PRESSES.write({ _tag: "Page", revision, page: action.page })
    case "field":
      return PRESSES.write({ _tag: "Field", revision, field: action.field })
    default:
      return PRESSES.write({ _tag: WORDS[action.kind], revision })
  }
}

export const decode = (data: string): { readonly revision: number; readonly action: Action } | undefined => {
  const press = PRESSES.read(data)
  if (press === undefined) return undefined
  const { revision } = press
  switch (press._tag) {
    case "Option":
      return { revision, action: { kind: "option", index: press.index } }
    case "Page":
      return { revision, action: { kind: "page", page: press.page } }
    case "Field":
      return { revision, action: { kind: "field", field: press.field } }
    default:
      return {
        revision,
        action: { kind: press._tag.toLowerCase() as "back" | "cancel" | "confirm" | "edit" },
      }
  }
}

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
