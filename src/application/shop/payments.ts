import { Effect, Either, Option } from "effect"
import { findBook } from "../../domain/catalog.ts"
import {
  type Decision,
  decideReceipt,
  findReceipt,
  type Order,
  REJECTION_REASON_KEYS,
  type Receipt,
  type RejectionReason,
  type ReviewCopy,
  receiptUnderReview,
  withReviewCopies,
} from "../../domain/order.ts"
import type { Choice, Reply } from "../../domain/reply.ts"
import type { Student } from "../../domain/student.ts"
import { choice } from "../common/actions.ts"
import type { Handled } from "../common/incoming.ts"
import { useCase } from "../common/use-case.ts"
import { Admins } from "../ports/admins.ts"
import { currentDate } from "../ports/clock.ts"
import { Ids } from "../ports/ids.ts"
import { type ChatId, type MessageId, Messenger } from "../ports/messenger.ts"
import { OrderStore } from "../ports/order-store.ts"
import { Shop } from "../ports/shop.ts"
import { StudentRepository } from "../ports/student-repository.ts"
import { openOrder } from "./orders.ts"
import { REVIEW_BUTTONS, REVIEW_TEXTS, reviewLines } from "./review-texts.ts"
import { SHOP_TEXTS } from "./shop-texts.ts"

export type Photo = { readonly fileId: string; readonly fileUniqueId: string }

/** A photo from a registered student: the receipt of the order that waits for one, or a polite no. */
export const receivePhoto = useCase("Payments.receipt")(function* (
  chatId: ChatId,
  student: Student,
  photo: Photo,
) {
  const messenger = yield* Messenger
  const store = yield* OrderStore
  const order = yield* openOrder(student.userId)
  if (Option.isNone(order)) {
    const reviewing = (yield* store.ofStudent(student.userId)).some(
      (candidate) => candidate.status === "under_review",
    )
    return yield* Effect.asVoid(
      messenger.send(chatId, {
        text: reviewing ? SHOP_TEXTS.receiptUnderReview : SHOP_TEXTS.photoNotExpected,
      }),
    )
  }
  if (order.value.status === "collecting")
    return yield* Effect.asVoid(messenger.send(chatId, { text: SHOP_TEXTS.finishAddressFirst }))
  const receipt: Receipt = {
    id: yield* (yield* Ids).next,
    fileId: photo.fileId,
    fileUniqueId: photo.fileUniqueId,
    submittedAt: yield* currentDate,
    reviewCopies: [],
  }
  const submitted = yield* store.submitReceipt(order.value.id, receipt)
  if (Either.isLeft(submitted)) {
    const text =
      submitted.left._tag === "DuplicateReceipt" ? SHOP_TEXTS.duplicateReceipt : SHOP_TEXTS.photoNotExpected
    return yield* Effect.asVoid(messenger.send(chatId, { text }))
  }
  yield* messenger.send(chatId, { text: SHOP_TEXTS.receiptReceived })
  yield* sendForReview(submitted.right, receipt, student)
})

const decisionLine = (decision: Decision): string =>
  decision.verdict === "approved"
    ? REVIEW_TEXTS.approvedBy(decision.adminName)
    : REVIEW_TEXTS.rejectedBy(decision.adminName, decision.reason ?? "other")

const verdictButtons = (order: Order, receipt: Receipt): ReadonlyArray<ReadonlyArray<Choice>> => [
  [
    choice(REVIEW_BUTTONS.approve, { _tag: "Approve", orderId: order.id, receiptId: receipt.id }),
    choice(REVIEW_BUTTONS.reject, { _tag: "AskReason", orderId: order.id, receiptId: receipt.id }),
  ],
]

const reasonButtons = (order: Order, receipt: Receipt): ReadonlyArray<ReadonlyArray<Choice>> => [
  ...REJECTION_REASON_KEYS.map((reason) => [
    choice(REVIEW_BUTTONS.reason(reason), {
      _tag: "Reject",
      reason,
      orderId: order.id,
      receiptId: receipt.id,
    }),
  ]),
  [choice(REVIEW_BUTTONS.back, { _tag: "ReviewBack", orderId: order.id, receiptId: receipt.id })],
]

/** An admin's copy of a review as it should look now: with buttons while undecided, with the verdict after. */
const reviewReply = (
  order: Order,
  receipt: Receipt,
  student: Option.Option<Student>,
  pickingReason = false,
): Reply => {
  const text = REVIEW_TEXTS.review(reviewLines(order, student))
  if (receipt.decision !== undefined) return { text: `${text}${decisionLine(receipt.decision)}` }
  return pickingReason
    ? { text: `${text}${REVIEW_TEXTS.pickReason}`, choices: reasonButtons(order, receipt) }
    : { text, choices: verdictButtons(order, receipt) }
}

/** Every admin gets the photo and, under it, the details with approve / reject. */
const sendForReview = useCase("Payments.sendForReview")(function* (
  order: Order,
  receipt: Receipt,
  student: Student,
) {
  const { ids } = yield* Admins
  const messenger = yield* Messenger
  if (ids.length === 0)
    return yield* Effect.logWarning(
      `receipt ${receipt.id} of order ${order.id}: no ADMIN_USER_IDS to review it`,
    )
  const reply = reviewReply(order, receipt, Option.some(student))
  const copies: Array<ReviewCopy> = []
  for (const adminId of ids) {
    yield* messenger.sendPhoto(adminId, receipt.fileId).pipe(
      Effect.zipRight(messenger.send(adminId, reply)),
      Effect.tap((messageId) => Effect.sync(() => copies.push({ adminId, messageId }))),
      Effect.catchTag("MessengerError", (error) =>
        Effect.logWarning(`could not send receipt ${receipt.id} to admin ${adminId}`, error.detail),
      ),
    )
  }
  yield* (yield* OrderStore).update(order.id, (current) =>
    Either.right(withReviewCopies(current, receipt.id, copies)),
  )
})

type Reviewer = {
  readonly adminId: number
  readonly adminName: string
  readonly chatId: ChatId
  readonly at: MessageId
}

/** Brings every admin's copy of the review up to date (a copy deleted meanwhile is no reason to fail). */
const refreshCopies = (order: Order, receipt: Receipt, extra: ReadonlyArray<ReviewCopy>) =>
  Effect.gen(function* () {
    const messenger = yield* Messenger
    const student = yield* (yield* StudentRepository).find(order.userId)
    const reply = reviewReply(order, receipt, student)
    const copies = [
      ...receipt.reviewCopies,
      ...extra.filter(
        (copy) =>
          !receipt.reviewCopies.some((c) => c.messageId === copy.messageId && c.adminId === copy.adminId),
      ),
    ]
    yield* Effect.forEach(
      copies,
      (copy) =>
        messenger
          .edit(copy.adminId, copy.messageId, reply)
          .pipe(
            Effect.catchTag("MessengerError", (error) =>
              Effect.logDebug("could not update a review copy", error.detail),
            ),
          ),
      { discard: true, concurrency: 4 },
    )
  })

const notifyStudent = (order: Order, decision: Decision) =>
  Effect.gen(function* () {
    const messenger = yield* Messenger
    const { catalog } = yield* Shop
    const text =
      decision.verdict === "rejected"
        ? SHOP_TEXTS.rejected(decision.reason ?? "other")
        : order.item.kind === "course"
          ? SHOP_TEXTS.approvedCourse(order.item.title)
          : SHOP_TEXTS.approvedBook(order.item.title, findBook(catalog, order.item.id)?.ships_on ?? "")
    yield* messenger
      .send(order.userId, { text })
      .pipe(
        Effect.catchTag("MessengerError", (error) =>
          Effect.logWarning(`could not tell student ${order.userId} the decision`, error.detail),
        ),
      )
  })

/** Approve or reject: the first decision on a receipt wins, all copies then show who decided. */
export const decide = useCase("Payments.decide")(function* (
  reviewer: Reviewer,
  orderId: string,
  receiptId: string,
  verdict: "approved" | "rejected",
  reason?: RejectionReason,
) {
  const now = yield* currentDate
  const decision: Decision = {
    verdict,
    ...(reason === undefined ? {} : { reason }),
    adminId: reviewer.adminId,
    adminName: reviewer.adminName,
    at: now,
  }
  const outcome = yield* (yield* OrderStore).update(orderId, (order) =>
    decideReceipt(order, receiptId, decision),
  )
  const own: ReviewCopy = { adminId: reviewer.chatId, messageId: reviewer.at }
  if (Either.isLeft(outcome)) {
    if (outcome.left._tag !== "AlreadyDecided") return { notice: REVIEW_TEXTS.receiptGone } satisfies Handled
    const order = yield* (yield* OrderStore).find(orderId)
    const receipt = Option.flatMapNullable(order, (found) => findReceipt(found, receiptId))
    if (Option.isSome(order) && Option.isSome(receipt))
      yield* refreshCopies(order.value, receipt.value, [own])
    return { notice: REVIEW_TEXTS.alreadyDecided(outcome.left.decision.adminName) } satisfies Handled
  }
  const order = outcome.right
  const receipt = findReceipt(order, receiptId)
  if (receipt !== undefined) yield* refreshCopies(order, receipt, [own])
  yield* notifyStudent(order, decision)
  return { notice: REVIEW_TEXTS.decided } satisfies Handled
})

/** Reject pressed: this admin's copy shows the reasons (or the verdict, if someone was quicker). */
export const pickReason = useCase("Payments.pickReason")(function* (
  reviewer: Reviewer,
  orderId: string,
  receiptId: string,
  picking: boolean,
) {
  const order = yield* (yield* OrderStore).find(orderId)
  const receipt = Option.flatMapNullable(order, (found) => findReceipt(found, receiptId))
  if (Option.isNone(order) || Option.isNone(receipt))
    return { notice: REVIEW_TEXTS.receiptGone } satisfies Handled
  const student = yield* (yield* StudentRepository).find(order.value.userId)
  yield* (yield* Messenger)
    .edit(reviewer.chatId, reviewer.at, reviewReply(order.value, receipt.value, student, picking))
    .pipe(
      Effect.catchTag("MessengerError", (error) =>
        Effect.logDebug("could not show the reasons", error.detail),
      ),
    )
  const decided = receipt.value.decision
  return decided === undefined
    ? {}
    : ({ notice: REVIEW_TEXTS.alreadyDecided(decided.adminName) } satisfies Handled)
})

/**
 * At start: a receipt taken just before a crash may never have reached the admins (no review copies
 * recorded); send those again. An admin may then see one twice, never none; the decision stays single.
 */
export const resendUnsentReviews = useCase("Payments.resendUnsent")(function* () {
  const orders = yield* (yield* OrderStore).all
  const students = yield* StudentRepository
  for (const order of orders) {
    const receipt = receiptUnderReview(order)
    if (receipt === undefined || receipt.reviewCopies.length > 0) continue
    const student = yield* students.find(order.userId)
    if (Option.isNone(student)) continue
    yield* Effect.logInfo(`sending receipt ${receipt.id} of order ${order.id} for review again`)
    yield* sendForReview(order, receipt, student.value)
  }
})
