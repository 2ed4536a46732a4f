import { Either, Schema } from "effect"
import { toLatinDigits } from "./digits.ts"
import { normalizePersian } from "./persian-text.ts"

/** An Iranian postal code: exactly ten digits. */
export const PostalCode = Schema.String.pipe(Schema.pattern(/^\d{10}$/), Schema.brand("PostalCode"))
export type PostalCode = typeof PostalCode.Type

export const ADDRESS_MIN = 10
export const ADDRESS_MAX = 300
export const NOTES_MAX = 300

export const Address = Schema.String.pipe(
  Schema.minLength(ADDRESS_MIN),
  Schema.maxLength(ADDRESS_MAX),
  Schema.brand("Address"),
)
export type Address = typeof Address.Type

export type ShippingProblem =
  | { readonly _tag: "PostalCodeDigits"; readonly count: number }
  | { readonly _tag: "AddressTooShort" }
  | { readonly _tag: "AddressTooLong"; readonly length: number }
  | { readonly _tag: "NotesTooLong"; readonly length: number }

/** Accepts Latin, Persian or Arabic digits, with spaces or dashes between them. */
export const parsePostalCode = (input: string): Either.Either<PostalCode, ShippingProblem> => {
  const digits = toLatinDigits(input).replace(/[\s\-_]/g, "")
  if (/^\d{10}$/.test(digits)) return Either.right(PostalCode.make(digits))
  return Either.left({ _tag: "PostalCodeDigits", count: digits.replace(/\D/g, "").length })
}

/** 10–300 characters once white space is tidied (Arabic ی/ک unified, as everywhere). */
export const parseAddress = (input: string): Either.Either<Address, ShippingProblem> => {
  const text = normalizePersian(input)
  if (text.length < ADDRESS_MIN) return Either.left({ _tag: "AddressTooShort" })
  if (text.length > ADDRESS_MAX) return Either.left({ _tag: "AddressTooLong", length: text.length })
  return Either.right(Address.make(text))
}

export const parseNotes = (input: string): Either.Either<string, ShippingProblem> => {
  const text = normalizePersian(input)
  return text.length > NOTES_MAX
    ? Either.left({ _tag: "NotesTooLong", length: text.length })
    : Either.right(text)
}
