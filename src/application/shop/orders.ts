import { Effect, Either, Option, Redacted } from "effect"
import { groupCardNumber } from "../../domain/card-number.ts"
import { type Book, findBook, findCourse, formatToman, isOnSale } from "../../domain/catalog.ts"
import { toPersianDigits } from "../../domain/digits.ts"
import {
  answerCheckout,
  bookItem,
  type CheckoutAnswer,
  cancelOrder,
  courseItem,
  isOpen,
  type Order,
  type OrderItem,
  placeOrder,
} from "../../domain/order.ts"
import type { Reply } from "../../domain/reply.ts"
import type { ShippingProblem } from "../../domain/shipping.ts"
import type { UserId } from "../../domain/student.ts"
import { choice } from "../common/actions.ts"
import type { Handled, Screen } from "../common/incoming.ts"
import { useCase } from "../common/use-case.ts"
import { currentDate } from "../ports/clock.ts"
import { Ids } from "../ports/ids.ts"
import { type ChatId, Messenger } from "../ports/messenger.ts"
import { OrderStore } from "../ports/order-store.ts"
import { Shop } from "../ports/shop.ts"
import { show } from "./classes.ts"
import { SHOP_BUTTONS, SHOP_TEXTS } from "./shop-texts.ts"

/** The order that expects something from the student now (address answers or a receipt), if any. */
export const openOrder = useCase("Orders.open")(function* (userId: UserId) {
  const orders = yield* (yield* OrderStore).ofStudent(userId)
  return Option.fromNullable(orders.findLast(isOpen))
})

const cancelButton = (order: Order) => [
  choice(SHOP_BUTTONS.cancelOrder, { _tag: "CancelOrder", orderId: order.id }),
]

const paymentInstructions = useCase("Orders.instructions")(function* (chatId: ChatId, order: Order) {
  const { payment } = yield* Shop
  const messenger = yield* Messenger
  const card = groupCardNumber(Option.match(payment.cardNumber, { onNone: () => "", onSome: Redacted.value }))
  yield* messenger.send(chatId, {
    text: SHOP_TEXTS.payment(
      order.id,
      order.item.title,
      formatToman(order.item.priceToman),
      card,
      payment.payeeName,
    ),
    copyable: [card],
    choices: [cancelButton(order)],
  })
})

const bookReply = (book: Book): Reply => ({
  text: [
    SHOP_TEXTS.book(
      book.title,
      book.subtitle ?? "",
      book.author ?? "",
      book.pages === undefined ? "" : toPersianDigits(book.pages),
      formatToman(book.price_toman),
      book.ships_on === undefined ? "" : book.ships_on,
    ),
    ...(book.description === "" ? [] : ["", book.description]),
    ...(book.chapters.length === 0
      ? []
      : ["", SHOP_TEXTS.chapters, ...book.chapters.map((chapter) => `• ${chapter}`)]),
  ].join("\n"),
  choices: [[choice(SHOP_BUTTONS.buyBook, { _tag: "BuyBook", bookId: book.id })]],
})

export const showBooks = useCase("Orders.books")(function* (chatId: ChatId) {
  const { catalog } = yield* Shop
  const messenger = yield* Messenger
  if (catalog.books.length === 0)
    return yield* Effect.asVoid(messenger.send(chatId, { text: SHOP_TEXTS.noBook }))
  for (const book of catalog.books) yield* messenger.send(chatId, bookReply(book))
})

/**
 * Places an order for an item taken from the catalog on the server. An open order for the same item is
 * shown again; an open order for another item is cancelled (one order waits for a receipt at a time).
 */
const place = useCase("Orders.place")(function* (screen: Screen, item: OrderItem) {
  const { payment } = yield* Shop
  const messenger = yield* Messenger
  const store = yield* OrderStore
  const userId = screen.student.userId
  if (Option.isNone(payment.cardNumber)) {
    yield* messenger.send(screen.chatId, { text: SHOP_TEXTS.paymentClosed })
    return Option.none<Order>()
  }
  const orders = yield* store.ofStudent(userId)
  const reviewing = orders.find((order) => order.item.id === item.id && order.status === "under_review")
  if (reviewing !== undefined) {
    yield* messenger.send(screen.chatId, { text: SHOP_TEXTS.underReview })
    return Option.none<Order>()
  }
  const now = yield* currentDate
  for (const order of orders.filter(isOpen)) {
    if (order.item.id === item.id) return Option.some(order)
    const cancelled = yield* store.update(order.id, (current) =>
      isOpen(current) ? Either.right(cancelOrder(current, now)) : Either.left("closed" as const),
    )
    if (Either.isRight(cancelled))
      yield* messenger.send(screen.chatId, { text: SHOP_TEXTS.orderReplaced(order.item.title) })
  }
  const order = placeOrder(yield* (yield* Ids).next, userId, item, now)
  yield* store.place(order)
  return Option.some(order)
})

export const buyCourse = useCase("Orders.buyCourse")(function* (screen: Screen, courseId: string) {
  const { catalog } = yield* Shop
  const course = findCourse(catalog, courseId)
  if (course === undefined || !isOnSale(course)) return { notice: SHOP_TEXTS.staleButton } satisfies Handled
  const orders = yield* (yield* OrderStore).ofStudent(screen.student.userId)
  if (orders.some((order) => order.item.id === course.id && order.status === "approved"))
    return { notice: SHOP_TEXTS.purchased } satisfies Handled
  const order = yield* place(screen, courseItem(course))
  if (Option.isSome(order)) yield* paymentInstructions(screen.chatId, order.value)
  return {}
})

export const buyBook = useCase("Orders.buyBook")(function* (screen: Screen, bookId: string) {
  const { catalog } = yield* Shop
  const book = findBook(catalog, bookId)
  if (book === undefined) return { notice: SHOP_TEXTS.staleButton } satisfies Handled
  const order = yield* place(screen, bookItem(book))
  if (Option.isSome(order)) yield* askNext(screen.chatId, order.value)
  return {}
})

/** The question the order waits on, or the payment instructions once the address is complete. */
const askNext = (chatId: ChatId, order: Order, problem?: string) =>
  Effect.gen(function* () {
    const messenger = yield* Messenger
    if (order.status !== "collecting") {
      if (
        order.item.kind === "book" &&
        order.shipping?.postalCode !== undefined &&
        order.shipping.address !== undefined
      ) {
        yield* messenger.send(chatId, {
          text: SHOP_TEXTS.shippingSummary(
            toPersianDigits(order.shipping.postalCode),
            order.shipping.address,
            order.shipping.notes ?? "",
          ),
        })
      }
      return yield* paymentInstructions(chatId, order)
    }
    const question =
      order.step === "postalCode"
        ? SHOP_TEXTS.askPostalCode
        : order.step === "address"
          ? SHOP_TEXTS.askAddress
          : SHOP_TEXTS.askNotes
    const skip =
      order.step === "notes"
        ? [[choice(SHOP_BUTTONS.skipNotes, { _tag: "SkipNotes", orderId: order.id })]]
        : []
    yield* messenger.send(chatId, { text: problem ?? question, choices: [...skip, cancelButton(order)] })
  })

const explain = (problem: ShippingProblem | { readonly _tag: "NotSkippable" }): string | undefined => {
  switch (problem._tag) {
    case "PostalCodeDigits":
      return SHOP_TEXTS.postalCodeDigits(toPersianDigits(problem.count))
    case "AddressTooShort":
      return SHOP_TEXTS.addressTooShort
    case "AddressTooLong":
      return SHOP_TEXTS.addressTooLong(toPersianDigits(problem.length))
    case "NotesTooLong":
      return SHOP_TEXTS.notesTooLong(toPersianDigits(problem.length))
    default:
      return undefined
  }
}

/** One answer to the book order's questions: stored, then the next question (or the reason it was refused). */
export const answerOrder = useCase("Orders.answer")(function* (
  chatId: ChatId,
  order: Order,
  answer: CheckoutAnswer,
) {
  const now = yield* currentDate
  type Refusal = ShippingProblem | { readonly _tag: "NotSkippable" } | { readonly _tag: "Stale" }
  const changed = yield* (yield* OrderStore).update(
    order.id,
    (current): Either.Either<Order, Refusal> =>
      current.status === "collecting" && current.step === order.step
        ? answerCheckout(current, answer, now)
        : Either.left({ _tag: "Stale" }),
  )
  if (Either.isRight(changed)) {
    yield* askNext(chatId, changed.right)
    return {} satisfies Handled
  }
  const reason =
    changed.left._tag === "OrderNotFound" || changed.left._tag === "Stale" ? undefined : explain(changed.left)
  if (reason === undefined) return { notice: SHOP_TEXTS.staleButton } satisfies Handled
  yield* askNext(chatId, order, reason)
  return {} satisfies Handled
})

export const skipNotes = useCase("Orders.skipNotes")(function* (screen: Screen, orderId: string) {
  const order = yield* (yield* OrderStore).find(orderId)
  if (Option.isNone(order) || order.value.userId !== screen.student.userId || order.value.step !== "notes")
    return { notice: SHOP_TEXTS.staleButton } satisfies Handled
  return yield* answerOrder(screen.chatId, order.value, { _tag: "Skip" })
})

export const cancel = useCase("Orders.cancel")(function* (screen: Screen, orderId: string) {
  const now = yield* currentDate
  const cancelled = yield* (yield* OrderStore).update(orderId, (order) =>
    order.userId === screen.student.userId && isOpen(order)
      ? Either.right(cancelOrder(order, now))
      : Either.left("closed" as const),
  )
  if (Either.isLeft(cancelled)) return { notice: SHOP_TEXTS.staleButton } satisfies Handled
  yield* show(screen, { text: SHOP_TEXTS.orderCancelled })
  return {} satisfies Handled
})
