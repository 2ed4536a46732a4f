import { Either, Schema } from "effect"
import type { Book, Course } from "./catalog.ts"
import {
  Address,
  PostalCode,
  parseAddress,
  parseNotes,
  parsePostalCode,
  type ShippingProblem,
} from "./shipping.ts"
import { UserId } from "./student.ts"

/** What was bought, copied from the catalog when the order was placed (the price never comes from a button). */
export const OrderItem = Schema.Struct({
  kind: Schema.Literal("course", "book"),
  id: Schema.String,
  title: Schema.String,
  priceToman: Schema.Number,
})
export type OrderItem = typeof OrderItem.Type

export const REJECTION_REASONS = {
  amount: "مبلغ واریزی با مبلغ سفارش یکسان نیست",
  unreadable: "تصویر رسید خوانا نیست",
  notFound: "واریزی با این مشخصات پیدا نشد",
  other: "رسید معتبر نیست؛ لطفاً با پشتیبانی تماس بگیرید",
} as const
export const RejectionReason = Schema.Literal("amount", "unreadable", "notFound", "other")
export type RejectionReason = typeof RejectionReason.Type
export const REJECTION_REASON_KEYS: ReadonlyArray<RejectionReason> = RejectionReason.literals

export const Decision = Schema.Struct({
  verdict: Schema.Literal("approved", "rejected"),
  reason: Schema.optional(RejectionReason),
  adminId: Schema.Number,
  adminName: Schema.String,
  at: Schema.Date,
})
export type Decision = typeof Decision.Type

/** Where each admin's copy of a receipt review is, so that all copies can show the decision. */
export const ReviewCopy = Schema.Struct({ adminId: Schema.Number, messageId: Schema.Number })
export type ReviewCopy = typeof ReviewCopy.Type

export const Receipt = Schema.Struct({
  id: Schema.String,
  fileId: Schema.String,
  /** Telegram's id of the image itself: the same picture sent again has the same one. */
  fileUniqueId: Schema.String,
  submittedAt: Schema.Date,
  reviewCopies: Schema.Array(ReviewCopy),
  decision: Schema.optional(Decision),
})
export type Receipt = typeof Receipt.Type

export const CheckoutStep = Schema.Literal("postalCode", "address", "notes")
export type CheckoutStep = typeof CheckoutStep.Type

export const Shipping = Schema.Struct({
  postalCode: Schema.optional(PostalCode),
  address: Schema.optional(Address),
  notes: Schema.optional(Schema.String),
})
export type Shipping = typeof Shipping.Type

/**
 * collecting (book address questions) → awaiting_receipt → under_review → approved,
 * or back to awaiting_receipt when a receipt is rejected; cancelled by the student before review.
 */
export const OrderStatus = Schema.Literal(
  "collecting",
  "awaiting_receipt",
  "under_review",
  "approved",
  "cancelled",
)
export type OrderStatus = typeof OrderStatus.Type

export const Order = Schema.Struct({
  id: Schema.String,
  userId: UserId,
  item: OrderItem,
  status: OrderStatus,
  step: Schema.optional(CheckoutStep),
  shipping: Schema.optional(Shipping),
  receipts: Schema.Array(Receipt),
  createdAt: Schema.Date,
  updatedAt: Schema.Date,
})
export type Order = typeof Order.Type

export const courseItem = (course: Course): OrderItem => ({
  kind: "course",
  id: course.id,
  title: course.title,
  priceToman: course.price_toman,
})

export const bookItem = (book: Book): OrderItem => ({
  kind: "book",
  id: book.id,
  title: book.title,
  priceToman: book.price_toman,
})

/** A course order waits for its receipt at once; a book order first asks where to send the book. */
export const placeOrder = (id: string, userId: UserId, item: OrderItem, now: Date): Order =>
  item.kind === "book"
    ? {
        id,
        userId,
        item,
        status: "collecting",
        step: "postalCode",
        shipping: {},
        receipts: [],
        createdAt: now,
        updatedAt: now,
      }
    : { id, userId, item, status: "awaiting_receipt", receipts: [], createdAt: now, updatedAt: now }

/** Orders that still expect something from the student. */
export const isOpen = (order: Order): boolean =>
  order.status === "collecting" || order.status === "awaiting_receipt"

export type CheckoutAnswer = { readonly _tag: "Text"; readonly text: string } | { readonly _tag: "Skip" }

/** One answer to the book's address questions: the next step, or why the answer was not taken. */
export const answerCheckout = (
  order: Order,
  answer: CheckoutAnswer,
  now: Date,
): Either.Either<Order, ShippingProblem | { readonly _tag: "NotSkippable" }> => {
  const shipping = order.shipping ?? {}
  const next = (changes: Partial<Order>): Order => ({ ...order, ...changes, updatedAt: now })
  const text = answer._tag === "Text" ? answer.text : undefined
  switch (order.step) {
    case "postalCode":
      if (text === undefined) return Either.left({ _tag: "NotSkippable" })
      return Either.map(parsePostalCode(text), (postalCode) =>
        next({ step: "address", shipping: { ...shipping, postalCode } }),
      )
    case "address":
      if (text === undefined) return Either.left({ _tag: "NotSkippable" })
      return Either.map(parseAddress(text), (address) =>
        next({ step: "notes", shipping: { ...shipping, address } }),
      )
    default: {
      const notes = text === undefined ? Either.right("") : parseNotes(text)
      return Either.map(notes, (value) => {
        const { step: _done, ...rest } = order
        return {
          ...rest,
          status: "awaiting_receipt" as const,
          shipping: value === "" ? shipping : { ...shipping, notes: value },
          updatedAt: now,
        }
      })
    }
  }
}

export type ReceiptRefusal = { readonly _tag: "NotAwaitingReceipt" } | { readonly _tag: "DuplicateReceipt" }

/** A receipt is taken only while the order waits for one, and never an image already sent for any order. */
export const acceptReceipt = (
  order: Order,
  receipt: Receipt,
  alreadySeen: boolean,
): Either.Either<Order, ReceiptRefusal> => {
  if (order.status !== "awaiting_receipt") return Either.left({ _tag: "NotAwaitingReceipt" })
  if (alreadySeen) return Either.left({ _tag: "DuplicateReceipt" })
  return Either.right({
    ...order,
    status: "under_review",
    receipts: [...order.receipts, receipt],
    updatedAt: receipt.submittedAt,
  })
}

export const findReceipt = (order: Order, receiptId: string): Receipt | undefined =>
  order.receipts.find((receipt) => receipt.id === receiptId)

/** The receipt under review, if any. */
export const receiptUnderReview = (order: Order): Receipt | undefined =>
  order.status === "under_review" ? order.receipts.at(-1) : undefined

export type DecisionRefusal =
  | { readonly _tag: "AlreadyDecided"; readonly decision: Decision }
  | { readonly _tag: "UnknownReceipt" }

/** The first decision wins: a receipt decided once stays decided. A rejection lets the student send another. */
export const decideReceipt = (
  order: Order,
  receiptId: string,
  decision: Decision,
): Either.Either<Order, DecisionRefusal> => {
  const receipt = findReceipt(order, receiptId)
  if (receipt === undefined) return Either.left({ _tag: "UnknownReceipt" })
  if (receipt.decision !== undefined)
    return Either.left({ _tag: "AlreadyDecided", decision: receipt.decision })
  return Either.right({
    ...order,
    status: decision.verdict === "approved" ? "approved" : "awaiting_receipt",
    receipts: order.receipts.map((candidate) =>
      candidate.id === receiptId ? { ...candidate, decision } : candidate,
    ),
    updatedAt: decision.at,
  })
}

export const withReviewCopies = (
  order: Order,
  receiptId: string,
  copies: ReadonlyArray<ReviewCopy>,
): Order => ({
  ...order,
  receipts: order.receipts.map((receipt) =>
    receipt.id === receiptId ? { ...receipt, reviewCopies: [...receipt.reviewCopies, ...copies] } : receipt,
  ),
})

export const cancelOrder = (order: Order, now: Date): Order => {
  const { step: _dropped, ...rest } = order
  return { ...rest, status: "cancelled", updatedAt: now }
}
