import { Either, Schema } from "effect"
import { normalizePersian } from "./persian-text.ts"

const ZWNJ = "\u200C"
/** Persian letters (including آ, ء and the Arabic forms normalised away) and short vowel marks. */
const LETTER = "\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670\u067E\u0686\u0698\u06A9\u06AF\u06CC\u06C0"
const NAME_PATTERN = new RegExp(`^[${LETTER}]+(?:[ ${ZWNJ}][${LETTER}]+)*$`)

export const MIN_NAME_LENGTH = 2
export const MAX_NAME_LENGTH = 50

export const PersianName = Schema.String.pipe(
  Schema.pattern(NAME_PATTERN),
  Schema.minLength(MIN_NAME_LENGTH),
  Schema.maxLength(MAX_NAME_LENGTH),
  Schema.brand("PersianName"),
)
export type PersianName = typeof PersianName.Type

export type InvalidNameReason = "empty" | "too_short" | "too_long" | "latin" | "digits" | "symbols"

export class InvalidName extends Schema.TaggedError<InvalidName>()("InvalidName", {
  input: Schema.String,
  reason: Schema.Literal("empty", "too_short", "too_long", "latin", "digits", "symbols"),
}) {}

const reasonFor = (name: string): InvalidNameReason => {
  if (name.length === 0) return "empty"
  if (/[A-Za-z]/.test(name)) return "latin"
  if (/[0-9\u06F0-\u06F9\u0660-\u0669]/.test(name)) return "digits"
  if (!NAME_PATTERN.test(name)) return "symbols"
  return name.length < MIN_NAME_LENGTH ? "too_short" : "too_long"
}

/** Trims, collapses spaces, tidies ZWNJs and unifies Arabic letters, then checks the result. */
export const parsePersianName = (input: string): Either.Either<PersianName, InvalidName> => {
  const name = normalizePersian(input)
    .replace(/\u200C{2,}/g, ZWNJ)
    .replace(/ ?\u200C ?/g, ZWNJ)
    .replace(/^\u200C+|\u200C+$/g, "")
  const valid = NAME_PATTERN.test(name) && name.length >= MIN_NAME_LENGTH && name.length <= MAX_NAME_LENGTH
  return valid
    ? Either.right(PersianName.make(name))
    : Either.left(new InvalidName({ input, reason: reasonFor(name) }))
}
