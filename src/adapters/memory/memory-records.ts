import { Effect, Layer } from "effect"
import { BroadcastStore } from "../../application/ports/broadcast-store.ts"
import { EnrolmentStore } from "../../application/ports/enrolment-store.ts"
import { FlagStore } from "../../application/ports/flag-store.ts"
import { OrderStore } from "../../application/ports/order-store.ts"
import type { Broadcast, DeliveryState } from "../../domain/broadcast.ts"
import type { Enrolment } from "../../domain/enrolment.ts"
import type { Order } from "../../domain/order.ts"
import type { StudentFlags } from "../../domain/student-flags.ts"
import { broadcastRecords } from "../records/broadcast-records.ts"
import { enrolmentRecords } from "../records/enrolment-records.ts"
import { flagRecords } from "../records/flag-records.ts"
import { orderRecords } from "../records/order-records.ts"
import { makeTable, type Table } from "../records/table.ts"

/** Enrolments, orders, flags and broadcasts in memory: for tests and for developers who swap adapters. */
export const makeMemoryRecords = () => {
  const deliveries = new Map<string, Table<DeliveryState>>()
  const deliveriesOf = (id: string) =>
    Effect.sync(() => {
      const existing = deliveries.get(id)
      if (existing !== undefined) return existing
      const created = makeTable<DeliveryState>()
      deliveries.set(id, created)
      return created
    })
  const services = {
    enrolments: enrolmentRecords(makeTable<Enrolment>()),
    orders: orderRecords(makeTable<Order>()),
    flags: flagRecords(makeTable<StudentFlags>()),
    broadcasts: broadcastRecords(makeTable<Broadcast>(), deliveriesOf),
  }
  return {
    ...services,
    layer: Layer.mergeAll(
      Layer.succeed(EnrolmentStore, services.enrolments),
      Layer.succeed(OrderStore, services.orders),
      Layer.succeed(FlagStore, services.flags),
      Layer.succeed(BroadcastStore, services.broadcasts),
    ),
  }
}

export const MemoryRecords = Layer.unwrapEffect(Effect.sync(() => makeMemoryRecords().layer))
