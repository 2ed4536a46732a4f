import { mkdtemp } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import { Housekeeping, ManualHousekeeping } from "../../src/adapters/common/housekeeping.ts"
import { CachedStudentRepository } from "../../src/adapters/files/cache.ts"
import { DRAFTS_FOLDER, FileDraftStore } from "../../src/adapters/files/file-draft-store.ts"
import { FileStudentStore } from "../../src/adapters/files/file-repository.ts"
import { UsersDirectoryLive } from "../../src/adapters/files/users-directory.ts"
import { Metrics, MetricsLive } from "../../src/adapters/metrics/metrics.ts"
import { DraftStore } from "../../src/application/ports/draft-store.ts"
import { StudentDirectory } from "../../src/application/ports/student-directory.ts"
import { StudentRepository } from "../../src/application/ports/student-repository.ts"

export const usersDirectory = () => mkdtemp(join(tmpdir(), "users-"))

export type OpenOptions = {
  /** Wrap the repository in the TTL/LRU cache decorator. */
  readonly cache?: { readonly ttlSeconds: number; readonly maxEntries: number; readonly now?: () => number }
  readonly draftMaxAgeDays?: number
}

/**
 * The file storage adapters over `directory`, as main.ts composes them (housekeeping run by hand).
 * `close()` releases the directory as a shutdown does.
 */
export const openFileStorage = async (directory: string, options: OpenOptions = {}) => {
  const files = FileStudentStore
  const students =
    options.cache === undefined
      ? files
      : CachedStudentRepository(options.cache).pipe(
          Layer.provideMerge(files),
          Layer.provideMerge(MetricsLive()),
        )
  const layer = Layer.mergeAll(students, FileDraftStore({ maxAgeDays: options.draftMaxAgeDays ?? 7 })).pipe(
    Layer.provideMerge(
      Layer.merge(UsersDirectoryLive(directory, { subdirectories: [DRAFTS_FOLDER] }), ManualHousekeeping),
    ),
  )
  const scope = Effect.runSync(Scope.make())
  const context = await Effect.runPromise(Layer.buildWithScope(layer, scope))
  const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
  return {
    context,
    repository: Context.get(context, StudentRepository),
    directory: Context.get(context, StudentDirectory),
    drafts: Context.get(context, DraftStore),
    housekeeping: Context.get(context, Housekeeping),
    metrics: Context.getOption(context as Context.Context<unknown>, Metrics),
    run,
    close: () => Effect.runPromise(Scope.close(scope, Exit.void)),
  }
}
