import { Either, Schema } from "effect"
import { toLatinDigits } from "./digits.ts"

export const IranianMobile = Schema.String.pipe(Schema.pattern(/^\+989\d{9}$/), Schema.brand("IranianMobile"))
export type IranianMobile = typeof IranianMobile.Type

export class InvalidPhone extends Schema.TaggedError<InvalidPhone>()("InvalidPhone", {
  input: Schema.String,
}) {}

/**
 * Accepts +98 9xx…, 0098 9xx…, 98 9xx… (as Telegram shares contacts), 09xx… and 9xx…,
 * with Latin, Persian or Arabic digits and spaces, dashes, dots or parentheses between them.
 */
export const parsePhone = (input: string): Either.Either<IranianMobile, InvalidPhone> => {
  const compact = toLatinDigits(input).replace(/[\s\-().\u200C-\u200F\u202A-\u202E]/g, "")
  const national = compact.replace(/^(?:\+98|0098|98(?=9\d{9}$)|0)/, "")
  return /^9\d{9}$/.test(national)
    ? Either.right(IranianMobile.make(`+98${national}`))
    : Either.left(new InvalidPhone({ input }))
}
