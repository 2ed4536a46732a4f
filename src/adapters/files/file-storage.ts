import { Layer } from "effect"
import { HousekeepingLive } from "../common/housekeeping.ts"
import { CachedStudentRepository, type CacheOptions } from "./cache.ts"
import { DRAFTS_FOLDER, FileDraftStore } from "./file-draft-store.ts"
import { FileStudentStore } from "./file-repository.ts"
import { UsersDirectoryLive } from "./users-directory.ts"

export type FileStorageOptions = {
  readonly directory: string
  readonly cache: CacheOptions
  readonly draftMaxAgeDays: number
  readonly cleanupIntervalSeconds: number
}

/**
 * Everything the bot stores, in USERS_DIR: students (cached, with the admin directory), drafts, and
 * the housekeeping that cleans up after them. Also gives UsersDirectory and Housekeeping, so that
 * other file adapters can live in the same locked directory and register their own cleanup.
 */
export const FileStorage = (options: FileStorageOptions) =>
  Layer.mergeAll(
    CachedStudentRepository(options.cache).pipe(Layer.provideMerge(FileStudentStore)),
    FileDraftStore({ maxAgeDays: options.draftMaxAgeDays }),
  ).pipe(
    Layer.provideMerge(
      Layer.merge(
        UsersDirectoryLive(options.directory, { subdirectories: [DRAFTS_FOLDER] }),
        HousekeepingLive(options.cleanupIntervalSeconds),
      ),
    ),
  )
