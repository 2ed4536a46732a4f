/**
 * Loaded into a bench bot with `--import` (ours and the baseline alike): counts the calls that make writes
 * durable — fsync and fdatasync, through every API node has for them — and writes the counts, with the
 * bytes written to stdout and stderr, as JSON to BENCH_COUNTERS_FILE every 200 ms, so that the bench can
 * read them before and after the load. It changes nothing the bot does.
 */
import fs, { renameSync, writeFileSync } from "node:fs"
import { syncBuiltinESMExports } from "node:module"

const counts = { fsync: 0, fdatasync: 0, stdoutBytes: 0, stdoutLines: 0 }
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

if (file !== undefined) {
  // written whole, then renamed into place: the bench never reads a file cut short mid-write
  const save = () => {
    writeFileSync(`${file}.next`, JSON.stringify(counts))
    renameSync(`${file}.next`, file)
  }
  setInterval(save, 200).unref()
  save()
}
