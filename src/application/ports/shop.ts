import { Context, type Option, type Redacted } from "effect"
import type { Catalog } from "../../domain/catalog.ts"

/** What the teacher offers and how students pay for it: read once at start. */
export class Shop extends Context.Tag("Shop")<
  Shop,
  {
    readonly catalog: Catalog
    readonly payment: {
      /** 16 digits; none when the operator has not set PAYMENT_CARD_NUMBER (paid orders are then closed). */
      readonly cardNumber: Option.Option<Redacted.Redacted<string>>
      readonly payeeName: string
    }
  }
>() {}
