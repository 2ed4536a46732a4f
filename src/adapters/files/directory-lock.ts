import { link, open, readFile, rename, stat, unlink, utimes } from "node:fs/promises"
import { hostname } from "node:os"
import { join } from "node:path"
import { Duration, Effect, Schedule, Schema, type Scope } from "effect"
import { randomId } from "../system/ids.ts"

/** Another live bot process holds the directory: this one must not start. */
export class DirectoryInUse extends Schema.TaggedError<DirectoryInUse>()("DirectoryInUse", {
  reason: Schema.String,
}) {}

export const LOCK_FILE = ".lock"

type Holder = { readonly pid: number; readonly host: string; readonly since: string }

export type DirectoryLockOptions = {
  /** How often the holder touches the lock file (default 10 s). */
  readonly heartbeatSeconds?: number
  /** A lock not touched for this long is stale, whoever wrote it (default 30 s). */
  readonly staleSeconds?: number
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

const readHolder = async (path: string): Promise<{ text: string; holder: Partial<Holder>; age: number }> => {
  const [text, stats] = await Promise.all([readFile(path, "utf8"), stat(path)])
  let holder: Partial<Holder> = {}
  try {
    holder = JSON.parse(text)
  } catch {
    // A lock file cut short by a crash at creation: stale by its age alone.
  }
  return { text, holder, age: Date.now() - stats.mtimeMs }
}

/**
 * Guards a data directory against two bot processes at once: `.lock` holds the owner's pid and host
 * and is touched every few seconds. A second process refuses to start while the holder is alive;
 * a lock left by a crash (dead pid on this host, our own pid after a container restart, or not
 * touched for `staleSeconds`) is taken over. Released when the scope closes.
 */
export const holdDirectory = (
  directory: string,
  options: DirectoryLockOptions = {},
): Effect.Effect<void, DirectoryInUse, Scope.Scope> => {
  const path = join(directory, LOCK_FILE)
  const staleMs = (options.staleSeconds ?? 30) * 1000
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() }
  const mine = JSON.stringify(me)

  const create = async (): Promise<boolean> => {
    try {
      const file = await open(path, "wx", 0o600)
      try {
        await file.writeFile(mine)
        await file.sync()
      } finally {
        await file.close()
      }
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false
      throw error
    }
  }

  /** Moves a stale lock away; if someone replaced it meanwhile, puts theirs back and refuses. */
  const takeOver = async (staleText: string): Promise<void> => {
    const aside = `${path}.${randomId(6)}.stale`
    try {
      await rename(path, aside)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return
      throw error
    }
    if ((await readFile(aside, "utf8")) !== staleText) await link(aside, path).catch(() => undefined)
    await unlink(aside)
  }

  const acquire = async (): Promise<string | undefined> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await create()) return undefined
      let current: Awaited<ReturnType<typeof readHolder>>
      try {
        current = await readHolder(path)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue
        throw error
      }
      const { holder, age } = current
      const sameHost = holder.host === me.host
      const dead =
        age > staleMs ||
        (sameHost && typeof holder.pid === "number" && (holder.pid === me.pid || !isAlive(holder.pid)))
      if (!dead) {
        return (
          `${directory} is in use by another bot process (pid ${holder.pid ?? "?"} on ${holder.host ?? "?"}, ` +
          `since ${holder.since ?? "?"}). Two processes on one directory would overwrite each other's files: ` +
          `stop the other one first. If it is surely gone, delete ${path}.`
        )
      }
      await takeOver(current.text)
    }
    return `${directory}: could not take the lock ${path} (other processes keep taking it)`
  }

  const release = Effect.promise(async () => {
    const text = await readFile(path, "utf8").catch(() => undefined)
    if (text === mine) await unlink(path).catch(() => undefined)
  })

  const heartbeat = Effect.promise(() => {
    const now = new Date()
    return utimes(path, now, now).catch(() => undefined)
  }).pipe(
    Effect.repeat(Schedule.spaced(Duration.seconds(options.heartbeatSeconds ?? 10))),
    Effect.delay(Duration.seconds(options.heartbeatSeconds ?? 10)),
  )

  return Effect.gen(function* () {
    const refused = yield* Effect.tryPromise({
      try: acquire,
      catch: (error) => new DirectoryInUse({ reason: `${directory}: cannot take ${path}: ${String(error)}` }),
    })
    if (refused !== undefined) return yield* new DirectoryInUse({ reason: refused })
    yield* Effect.addFinalizer(() => release)
    yield* Effect.forkScoped(heartbeat)
  })
}
