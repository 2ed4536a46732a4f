import { Effect, Either, Option } from "effect"
import type { BroadcastNotFound, BroadcastStore } from "../../application/ports/broadcast-store.ts"
import type { StorageError } from "../../application/ports/storage-error.ts"
import type { Broadcast, DeliveryState } from "../../domain/broadcast.ts"
import { UserId } from "../../domain/student.ts"
import type { Table } from "./table.ts"

/** BroadcastStore over a table of broadcasts and, per broadcast, a table of recipients' states. */
export const broadcastRecords = (
  table: Table<Broadcast>,
  deliveriesOf: (id: string) => Effect.Effect<Table<DeliveryState>, StorageError>,
): BroadcastStore["Type"] => ({
  create: (broadcast) => table.transact(() => ({ result: undefined, changes: [[broadcast.id, broadcast]] })),
  find: (id) => Effect.map(table.get(id), Option.fromNullable),
  update: <E>(id: string, change: (broadcast: Broadcast) => Either.Either<Broadcast, E>) =>
    table.transact<Either.Either<Broadcast, E | BroadcastNotFound>>((rows) => {
      const broadcast = rows.get(id)
      if (broadcast === undefined)
        return { result: Either.left<BroadcastNotFound>({ _tag: "BroadcastNotFound" }) }
      const changed = change(broadcast)
      return Either.isRight(changed)
        ? { result: changed, changes: [[id, changed.right]] }
        : { result: Either.left(changed.left) }
    }),
  sending: Effect.map(table.values, (all) => all.filter((broadcast) => broadcast.status === "sending")),
  claim: (id, userId) =>
    Effect.flatMap(deliveriesOf(id), (deliveriesTable) =>
      deliveriesTable.transact((rows) =>
        rows.has(String(userId))
          ? { result: false }
          : { result: true, changes: [[String(userId), "claimed" as const]] },
      ),
    ),
  record: (id, deliveries) =>
    Effect.flatMap(deliveriesOf(id), (deliveriesTable) =>
      deliveriesTable.transact(() => ({
        result: undefined,
        changes: deliveries.map(({ userId, state }) => [String(userId), state] as const),
      })),
    ),
  deliveries: (id) =>
    Effect.map(
      deliveriesOf(id),
      (deliveriesTable) =>
        new Map(
          [...deliveriesTable.rows].map(([userId, state]) => [UserId.make(Number(userId)), state] as const),
        ),
    ),
  all: table.values,
})
