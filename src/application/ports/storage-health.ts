import { Context, type Effect } from "effect"
import type { StorageError } from "./storage-error.ts"

/**
 * Whether storage takes writes now. Told of every failed write; when the storage itself refuses them (a
 * full disk, a read-only volume) it is "failing" until a write works again — then the bot serves what needs
 * no write and answers the rest with "storage is full right now" rather than go silent.
 */
export class StorageHealth extends Context.Tag("StorageHealth")<
  StorageHealth,
  {
    /** Writes are being refused by the storage (and were, at the last try). */
    readonly failing: Effect.Effect<boolean>
    /** A write failed: `operation` says which (counted by it); the failure may start the failing state. */
    readonly writeFailed: (operation: string, error: StorageError) => Effect.Effect<void>
  }
>() {}
