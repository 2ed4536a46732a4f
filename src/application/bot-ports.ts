import type { Announcements } from "./announcements.ts"
import type { BroadcastRunner } from "./broadcast.ts"
import type { Admins } from "./ports/admins.ts"
import type { BroadcastStore } from "./ports/broadcast-store.ts"
import type { ChartRenderer } from "./ports/chart-renderer.ts"
import type { DraftStore } from "./ports/draft-store.ts"
import type { EnrolmentStore } from "./ports/enrolment-store.ts"
import type { FlagStore } from "./ports/flag-store.ts"
import type { Ids } from "./ports/ids.ts"
import type { Messenger } from "./ports/messenger.ts"
import type { OrderStore } from "./ports/order-store.ts"
import type { Shop } from "./ports/shop.ts"
import type { StorageHealth } from "./ports/storage-health.ts"
import type { StudentDirectory } from "./ports/student-directory.ts"
import type { StudentRepository } from "./ports/student-repository.ts"

/** Every service the use cases need: what the adapters (or the tests' memory ones) must provide. */
export type BotPorts =
  | StudentRepository
  | DraftStore
  | Messenger
  | Ids
  | Shop
  | Admins
  | EnrolmentStore
  | OrderStore
  | FlagStore
  | BroadcastStore
  | StudentDirectory
  | BroadcastRunner
  | Announcements
  | StorageHealth
  | ChartRenderer
