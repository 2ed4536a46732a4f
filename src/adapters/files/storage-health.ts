import { open, statfs, unlink } from "node:fs/promises"
import { join } from "node:path"
import { Context, Duration, Effect, Layer, Runtime } from "effect"
import { alertStorageFailing, alertStorageRecovered } from "../../application/admin/storage-alerts.ts"
import type { Admins } from "../../application/ports/admins.ts"
import type { Messenger } from "../../application/ports/messenger.ts"
import { type StorageError, writeRefusal } from "../../application/ports/storage-error.ts"
import { StorageHealth } from "../../application/ports/storage-health.ts"
import { Metrics } from "../metrics/metrics.ts"

/** What a probe writes: a write of this size must work (and this much be free) before storage counts as back. */
const PROBE_BYTES = 64 * 1024
const MIN_FREE_BYTES = 1024 * 1024

export type StorageHealthSettings = {
  /** The directories the bot writes, each with the variable that names it (said in logs and alerts). */
  readonly directories: ReadonlyArray<readonly [variable: string, path: string]>
  /** How often a failing storage is tried again (default 1 s). */
  readonly probeEvery?: Duration.DurationInput
}

/** Bytes free to an unprivileged writer on the file system holding `path` (undefined if unknown). */
const freeBytes = async (path: string): Promise<number | undefined> => {
  try {
    const stats = await statfs(path)
    return Number(stats.bavail) * Number(stats.bsize)
  } catch {
    return undefined
  }
}

/** Writes, fsyncs and removes a file of PROBE_BYTES in `dir`: the error if that does not work. */
const probeWrite = async (dir: string): Promise<unknown> => {
  const path = join(dir, `.write-probe-${process.pid}.tmp`)
  try {
    const file = await open(path, "w", 0o600)
    try {
      await file.writeFile(Buffer.alloc(PROBE_BYTES))
      await file.sync()
    } finally {
      await file.close()
    }
    return undefined
  } catch (error) {
    return error
  } finally {
    await unlink(path).catch(() => undefined)
  }
}

type Failing = {
  readonly since: number
  readonly reason: "full" | "unwritable"
  readonly operation: string
  readonly detail: string
  /** Which directory refuses, and its free bytes, as the last probe found them. */
  where?: string
  free?: number
}

/**
 * Watches the data directories' writes (files storage). The first write the storage refuses (ENOSPC, EROFS…)
 * starts the failing state: logged once, one alert to the admins (directory, free bytes), readiness 503 with
 * the reason. While failing, the directories are tried every second with a real write (64 KB, fsynced) and
 * must have 1 MB free; when they do, the state ends — logged once, one alert. Every failed write is counted
 * by operation in bot_storage_write_failures_total.
 */
export const makeStorageHealth = (settings: StorageHealthSettings) =>
  Effect.gen(function* () {
    const metrics = yield* Metrics
    // forked with the maker's runtime (its logger, its services): the watch outlives the update that began it
    const fork = Runtime.runFork(yield* Effect.runtime<Messenger | Admins>())
    const every = Duration.decode(settings.probeEvery ?? Duration.seconds(1))
    let failing: Failing | undefined
    metrics.storageWritable(true)

    /** The first directory that refuses a probe write (or has too little room), with its free bytes. */
    const refusing = async () => {
      for (const [variable, path] of settings.directories) {
        const error = await probeWrite(path)
        const free = await freeBytes(path)
        if (error !== undefined || (free !== undefined && free < MIN_FREE_BYTES))
          return { where: `${variable} ${path}`, free: free ?? 0, error }
      }
      return undefined
    }

    const watch = (state: Failing) =>
      Effect.gen(function* () {
        const first = yield* Effect.promise(refusing)
        const where = first?.where ?? settings.directories.map(([v, p]) => `${v} ${p}`).join(", ")
        state.where = where
        if (first !== undefined) state.free = first.free
        yield* Effect.logWarning(
          `storage refuses writes (${state.reason === "full" ? "no space left" : "not writable"}) in ${where}, ${first?.free ?? "unknown"} bytes free: ${state.operation}: ${state.detail}. Updates are answered meanwhile; what needs a write is refused with "storage is full, try again in a few minutes".`,
        )
        yield* alertStorageFailing(state.reason, where, first?.free ?? 0)
        for (;;) {
          yield* Effect.sleep(every)
          const still = yield* Effect.promise(refusing)
          if (still === undefined) break
          state.free = still.free
        }
        failing = undefined
        metrics.storageWritable(true)
        const lasted = Date.now() - state.since
        yield* Effect.logInfo(`storage takes writes again (${where}) after ${Math.round(lasted / 1000)} s`)
        yield* alertStorageRecovered(where, lasted)
      })

    const writeFailed = (operation: string, error: StorageError) =>
      Effect.suspend(() => {
        const reason = writeRefusal(error)
        metrics.storageWriteFailed(operation, reason ?? "other")
        if (reason === undefined) return Effect.logError(`could not write (${operation})`, error.detail)
        if (failing !== undefined) return Effect.logDebug(`write refused (${operation})`, error.detail)
        const state: Failing = { since: Date.now(), reason, operation, detail: error.detail }
        failing = state
        metrics.storageWritable(false)
        fork(watch(state))
        return Effect.void
      })

    return {
      health: StorageHealth.of({ failing: Effect.sync(() => failing !== undefined), writeFailed }),
      /** Why writes are refused, in one line for /readyz; undefined while they work. */
      problem: (): string | undefined =>
        failing === undefined
          ? undefined
          : `${failing.reason === "full" ? "no space left" : "not writable"}${failing.where === undefined ? "" : ` in ${failing.where}`}${failing.free === undefined ? "" : ` (${failing.free} bytes free)`} since ${new Date(failing.since).toISOString()}`,
    }
  })

/** The watch, for readiness: why writes are refused now, if they are. */
export class StorageWatch extends Context.Tag("StorageWatch")<
  StorageWatch,
  { readonly problem: () => string | undefined }
>() {}

/** StorageHealth for files storage, and its StorageWatch. */
export const StorageHealthLive = (settings: StorageHealthSettings) =>
  Layer.effectContext(
    Effect.map(makeStorageHealth(settings), ({ health, problem }) =>
      Context.make(StorageHealth, health).pipe(Context.add(StorageWatch, { problem })),
    ),
  )

/** Readiness of files storage: not while writes are refused; else a small write in the directory must work. */
export const fileStorageReady = (
  watch: StorageWatch["Type"],
  probe: Effect.Effect<void, string>,
): Effect.Effect<void, string> =>
  Effect.suspend(() => {
    const problem = watch.problem()
    return problem === undefined ? probe : Effect.fail(problem)
  })
