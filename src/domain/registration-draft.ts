import { Schema } from "effect"
import { City, Province } from "./geography.ts"
import { PersianName } from "./persian-name.ts"
import { IranianMobile } from "./phone.ts"
import type { Reply } from "./reply.ts"
import { Grade, Major } from "./school.ts"
import type { Profile } from "./student.ts"

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
export type Answers = RegistrationDraft["answers"]

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
export const COLUMNS = 2

export const newRegistration: RegistrationDraft = {
  mode: "register",
  step: "first_name",
  revision: 0,
  page: 0,
  revisiting: false,
  answers: {},
}

/** Where each field's answer is kept in the draft. */
export const keyOf = {
  first_name: "firstName",
  last_name: "lastName",
  grade: "grade",
  major: "major",
  province: "province",
  city: "city",
  phone: "phone",
} as const satisfies Record<Field, keyof Answers>
