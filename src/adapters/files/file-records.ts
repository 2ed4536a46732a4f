import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import { Context, Effect, Layer, type Schema, Scope } from "effect"
import { BroadcastStore } from "../../application/ports/broadcast-store.ts"
import { EnrolmentStore } from "../../application/ports/enrolment-store.ts"
import { FlagStore } from "../../application/ports/flag-store.ts"
import { OrderStore } from "../../application/ports/order-store.ts"
import { StorageError } from "../../application/ports/storage-error.ts"
import { Broadcast, DeliveryState } from "../../domain/broadcast.ts"
import { Enrolment } from "../../domain/enrolment.ts"
import { Order } from "../../domain/order.ts"
import { StudentFlags } from "../../domain/student-flags.ts"
import { broadcastRecords } from "../records/broadcast-records.ts"
import { enrolmentRecords } from "../records/enrolment-records.ts"
import { flagRecords } from "../records/flag-records.ts"
import { orderRecords } from "../records/order-records.ts"
import { makeTable, type Table } from "../records/table.ts"
import { holdDirectory } from "./directory-lock.ts"
import { openJournal } from "./journal.ts"

/** A table whose changes go to a journal file first; the journal is closed with the scope. */
const journalTable = <V, I>(path: string, schema: Schema.Schema<V, I>) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => openJournal(path, schema),
      catch: (error) => new StorageError({ operation: "open", detail: `${path}: ${String(error)}` }),
    }).pipe(
      Effect.tap((journal) =>
        journal.skipped > 0
          ? Effect.logWarning(`${path}: ${journal.skipped} damaged line(s) skipped`)
          : Effect.void,
      ),
    ),
    (journal) => Effect.promise(() => journal.close().catch(() => undefined)),
  ).pipe(Effect.map((journal) => makeTable(journal.rows, journal.persist)))

/**
 * Enrolments, orders (with receipts and decisions), flags and broadcasts as journals in `directory`:
 * enrolments.jsonl, orders.jsonl, flags.jsonl, broadcasts.jsonl and one deliveries-<id>.jsonl per broadcast.
 * The directory is held with [storage]'s lock file: a second bot process on it refuses to start.
 */
export const FileRecords = (directory: string) =>
  Layer.scopedContext(
    Effect.gen(function* () {
      yield* Effect.tryPromise({
        try: () => mkdir(directory, { recursive: true, mode: 0o700 }),
        catch: (error) => new StorageError({ operation: "open", detail: `${directory}: ${String(error)}` }),
      })
      // Two processes appending to the same journals would each miss the other's changes.
      yield* holdDirectory(directory)
      const scope = yield* Effect.scope
      const deliveries = new Map<string, Table<DeliveryState>>()
      const lock = Effect.unsafeMakeSemaphore(1)
      const deliveriesOf = (id: string) =>
        lock.withPermits(1)(
          Effect.suspend(() => {
            const existing = deliveries.get(id)
            if (existing !== undefined) return Effect.succeed(existing)
            return journalTable(join(directory, `deliveries-${id}.jsonl`), DeliveryState).pipe(
              Scope.extend(scope),
              Effect.tap((table) => Effect.sync(() => deliveries.set(id, table))),
            )
          }),
        )
      const enrolments = enrolmentRecords(yield* journalTable(join(directory, "enrolments.jsonl"), Enrolment))
      const orders = orderRecords(yield* journalTable(join(directory, "orders.jsonl"), Order))
      const flags = flagRecords(yield* journalTable(join(directory, "flags.jsonl"), StudentFlags))
      const broadcasts = broadcastRecords(
        yield* journalTable(join(directory, "broadcasts.jsonl"), Broadcast),
        deliveriesOf,
      )
      return Context.make(EnrolmentStore, enrolments).pipe(
        Context.add(OrderStore, orders),
        Context.add(FlagStore, flags),
        Context.add(BroadcastStore, broadcasts),
      )
    }),
  )
