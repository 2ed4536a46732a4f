import { Effect, Either, Option } from "effect"
import type { OrderNotFound, OrderStore } from "../../application/ports/order-store.ts"
import { acceptReceipt, type Order, type ReceiptRefusal } from "../../domain/order.ts"
import type { Table } from "./table.ts"

const notFound: OrderNotFound = { _tag: "OrderNotFound" }

/** OrderStore over a table of orders keyed by id (memory or journal underneath). */
export const orderRecords = (table: Table<Order>): OrderStore["Type"] => {
  // Every receipt image ever taken, for the "same image twice" check across all orders.
  const seen = new Set<string>()
  // Each student's order ids, so that a student's messages do not scan every order.
  const byStudent = new Map<number, Set<string>>()
  const index = (order: Order) => {
    const ids = byStudent.get(order.userId) ?? new Set<string>()
    ids.add(order.id)
    byStudent.set(order.userId, ids)
  }
  for (const order of table.rows.values()) {
    index(order)
    for (const receipt of order.receipts) seen.add(receipt.fileUniqueId)
  }
  return {
    place: (order) =>
      Effect.tap(
        table.transact(() => ({ result: undefined, changes: [[order.id, order]] })),
        () => Effect.sync(() => index(order)),
      ),
    find: (id) => Effect.map(table.get(id), Option.fromNullable),
    ofStudent: (userId) =>
      Effect.sync(() =>
        [...(byStudent.get(userId) ?? [])]
          .flatMap((id) => {
            const order = table.rows.get(id)
            return order === undefined ? [] : [order]
          })
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()),
      ),
    update: <E>(id: string, change: (order: Order) => Either.Either<Order, E>) =>
      table.transact<Either.Either<Order, E | OrderNotFound>>((rows) => {
        const order = rows.get(id)
        if (order === undefined) return { result: Either.left(notFound) }
        const changed = change(order)
        return Either.isRight(changed)
          ? { result: changed, changes: [[id, changed.right]] }
          : { result: Either.left(changed.left) }
      }),
    submitReceipt: (orderId, receipt) =>
      Effect.tap(
        table.transact<Either.Either<Order, ReceiptRefusal | OrderNotFound>>((rows) => {
          const order = rows.get(orderId)
          if (order === undefined) return { result: Either.left(notFound) }
          const accepted = acceptReceipt(order, receipt, seen.has(receipt.fileUniqueId))
          return Either.isRight(accepted)
            ? { result: accepted, changes: [[orderId, accepted.right]] }
            : { result: Either.left(accepted.left) }
        }),
        (outcome) => {
          if (Either.isRight(outcome)) seen.add(receipt.fileUniqueId)
        },
      ),
    all: table.values,
  }
}
