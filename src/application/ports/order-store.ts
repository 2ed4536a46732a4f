import { Context, type Effect, type Either, type Option } from "effect"
import type { Order, Receipt, ReceiptRefusal } from "../../domain/order.ts"
import type { UserId } from "../../domain/student.ts"
import type { StorageError } from "./storage-error.ts"

export type OrderNotFound = { readonly _tag: "OrderNotFound" }

/**
 * Orders of paid courses and books, with their receipts and the admins' decisions. Every change is
 * atomic per order and durable before it resolves, so the first of two racing decisions wins.
 */
export class OrderStore extends Context.Tag("OrderStore")<
  OrderStore,
  {
    readonly place: (order: Order) => Effect.Effect<void, StorageError>
    readonly find: (id: string) => Effect.Effect<Option.Option<Order>, StorageError>
    /** Oldest first. */
    readonly ofStudent: (userId: UserId) => Effect.Effect<ReadonlyArray<Order>, StorageError>
    /** Applies a pure change to the order as stored now; nothing is written when it refuses. */
    readonly update: <E>(
      id: string,
      change: (order: Order) => Either.Either<Order, E>,
    ) => Effect.Effect<Either.Either<Order, E | OrderNotFound>, StorageError>
    /** Like update with acceptReceipt, plus: an image (file_unique_id) is taken once across all orders. */
    readonly submitReceipt: (
      orderId: string,
      receipt: Receipt,
    ) => Effect.Effect<Either.Either<Order, ReceiptRefusal | OrderNotFound>, StorageError>
    readonly all: Effect.Effect<ReadonlyArray<Order>, StorageError>
  }
>() {}
