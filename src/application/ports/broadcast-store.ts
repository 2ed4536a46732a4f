import { Context, type Effect, type Either, type Option } from "effect"
import type { Broadcast, DeliveryState } from "../../domain/broadcast.ts"
import type { UserId } from "../../domain/student.ts"
import type { StorageError } from "./storage-error.ts"

export type BroadcastNotFound = { readonly _tag: "BroadcastNotFound" }

export type Delivery = { readonly userId: UserId; readonly state: DeliveryState }

/** Admin broadcasts and, per recipient, how far the sending got; every change durable before it resolves. */
export class BroadcastStore extends Context.Tag("BroadcastStore")<
  BroadcastStore,
  {
    readonly create: (broadcast: Broadcast) => Effect.Effect<void, StorageError>
    readonly find: (id: string) => Effect.Effect<Option.Option<Broadcast>, StorageError>
    /** Atomic per broadcast, e.g. draft → sending happens once however many times "send" is pressed. */
    readonly update: <E>(
      id: string,
      change: (broadcast: Broadcast) => Either.Either<Broadcast, E>,
    ) => Effect.Effect<Either.Either<Broadcast, E | BroadcastNotFound>, StorageError>
    /** Broadcasts confirmed and not finished: resumed at start. */
    readonly sending: Effect.Effect<ReadonlyArray<Broadcast>, StorageError>
    /**
     * Atomic: marks the recipient "claimed" unless they already have a state, and says whether this caller
     * won — durable before it resolves. Only the winner sends, so no two runners (or replicas) send twice.
     */
    readonly claim: (id: string, userId: UserId) => Effect.Effect<boolean, StorageError>
    /** Records the outcome of sends (sent, blocked, failed). */
    readonly record: (id: string, deliveries: ReadonlyArray<Delivery>) => Effect.Effect<void, StorageError>
    readonly deliveries: (id: string) => Effect.Effect<ReadonlyMap<UserId, DeliveryState>, StorageError>
    readonly all: Effect.Effect<ReadonlyArray<Broadcast>, StorageError>
  }
>() {}
