/**
 * Loaded into a bench bot with `--import` (ours and the baseline alike): counts the calls that make writes
 * durable — fsync and fdatasync, through every API node has for them — and writes the counts, with the
 * bytes written to stdout and stderr and the Effect fibers started so far, as JSON to BENCH_COUNTERS_FILE
 * every 200 ms, so that the bench can read them before and after the load. It changes nothing the bot does.
 */
import fs, { renameSync, writeFileSync } from "node:fs"
import { syncBuiltinESMExports } from "node:module"

const counts = { fsync: 0, fdatasync: 0, stdoutBytes: 0, stdoutLines: 0, fibers: 0 }
const file = process.env.BENCH_COUNTERS_FILE

const wrap = <T extends object>(target: T, name: string, counter: "fsync" | "fdatasync") => {
  const original = (target as Record<string, unknown>)[name]
  if (typeof original !== "function") return
  ;(target as Record<string, unknown>)[name] = function (this: unknown, ...args: Array<unknown>) {
    counts[counter]++
    return (original as (...args: Array<unknown>) => unknown).apply(this, args)
  }
}
wrap(fs, "fsync", "fsync")
wrap(fs, "fsyncSync", "fsync")
wrap(fs, "fdatasync", "fdatasync")
wrap(fs, "fdatasyncSync", "fdatasync")
// FileHandle.sync / datasync: the prototype of a handle opened once
const handle = await fs.promises.open(process.execPath, "r")
const prototype = Object.getPrototypeOf(handle) as object
await handle.close()
wrap(prototype, "sync", "fsync")
wrap(prototype, "datasync", "fdatasync")
// named imports of node:fs (`import { fsync } from "node:fs"`) see the wrapped functions too
syncBuiltinESMExports()

for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: Array<unknown>) => boolean
  stream.write = ((chunk: unknown, ...rest: Array<unknown>) => {
    const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString() : ""
    counts.stdoutBytes += Buffer.byteLength(text)
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) counts.stdoutLines++
    return write(chunk, ...rest)
  }) as typeof stream.write
}

/**
 * Effect numbers every fiber it starts from one counter, kept in its global store (effect's
 * internal/fiberId.ts, `_fiberCounter`, a MutableRef under effect/GlobalValue): read, never written. A bot
 * without Effect (the baseline) has no store and counts 0.
 */
const fibersStarted = () => {
  const store = (globalThis as Record<string, unknown>)["effect/GlobalValue"]
  const counter = store instanceof Map ? store.get(Symbol.for("effect/Fiber/Id/_fiberCounter")) : undefined
  const current = (counter as { current?: unknown } | undefined)?.current
  return typeof current === "number" ? current : 0
}

if (file !== undefined) {
  // written whole, then renamed into place: the bench never reads a file cut short mid-write
  const save = () => {
    counts.fibers = fibersStarted()
    writeFileSync(`${file}.next`, JSON.stringify(counts))
    renameSync(`${file}.next`, file)
  }
  setInterval(save, 200).unref()
  save()
}
