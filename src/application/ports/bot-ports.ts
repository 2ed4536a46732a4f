import type { Admins } from "./admins.ts"
import type { Announcements } from "./announcements.ts"
import type { BroadcastRunner } from "./broadcast-runner.ts"
import type { BroadcastStore } from "./broadcast-store.ts"
import type { ChartRenderer } from "./chart-renderer.ts"
import type { DraftStore } from "./draft-store.ts"
import type { EnrolmentStore } from "./enrolment-store.ts"
import type { FlagStore } from "./flag-store.ts"
import type { Ids } from "./ids.ts"
import type { Messenger } from "./messenger.ts"
import type { OrderStore } from "./order-store.ts"
import type { Shop } from "./shop.ts"
import type { StorageHealth } from "./storage-health.ts"
import type { StudentDirectory } from "./student-directory.ts"
import type { StudentRepository } from "./student-repository.ts"

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
