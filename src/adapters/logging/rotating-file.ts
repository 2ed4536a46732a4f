import { closeSync, fstatSync, openSync, renameSync, writeSync } from "node:fs"

export type Rotation = {
  /** A file is rotated before a line would take it past this size. */
  readonly maxBytes: number
  /** Rotated files kept besides the current one: name.1 (newest) … name.N (oldest). */
  readonly keep: number
}

export const DEFAULT_ROTATION: Rotation = { maxBytes: 10 * 1024 * 1024, keep: 5 }

/** Files with lines waiting: written out when the process exits, whatever the reason. */
const unflushed = new Set<{ readonly flush: () => void }>()
let exitHook = false

/**
 * An append-only log file rotated by size. Writes are synchronous: a line is on its way to the disk
 * before the call returns, so nothing is lost when the process exits. With `batched`, the lines of one
 * turn of the event loop are written together right after it (one write instead of one per line, for
 * performance.log's line per update) and at exit; only a SIGKILL can lose them, with that one turn.
 * A failing disk never stops the bot: the problem is reported once on stderr and writing is retried.
 */
export const openRotatingFile = (
  path: string,
  rotation: Rotation = DEFAULT_ROTATION,
  { batched = false }: { readonly batched?: boolean } = {},
) => {
  let fd: number | undefined
  let size = 0
  let reported = false
  let pending: Array<string> = []
  let scheduled = false

  const report = (error: unknown) => {
    if (reported) return
    reported = true
    process.stderr.write(`log file ${path}: ${error instanceof Error ? error.message : String(error)}\n`)
  }

  const open = () => {
    fd = openSync(path, "a", 0o640)
    size = fstatSync(fd).size
  }

  const close = () => {
    if (fd === undefined) return
    const current = fd
    fd = undefined
    closeSync(current)
  }

  const renameIfThere = (from: string, to: string) => {
    try {
      renameSync(from, to)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error
    }
  }

  const rotate = () => {
    close()
    for (let index = rotation.keep - 1; index >= 1; index -= 1)
      renameIfThere(`${path}.${index}`, `${path}.${index + 1}`)
    if (rotation.keep >= 1) renameIfThere(path, `${path}.1`)
    else closeSync(openSync(path, "w"))
    open()
  }

  /** Writes the waiting lines, rotating before a line would take the file past `maxBytes`. */
  const flush = () => {
    scheduled = false
    unflushed.delete(file)
    const lines = pending
    pending = []
    if (lines.length === 0) return
    try {
      if (fd === undefined) open()
      let chunk = ""
      let chunkBytes = 0
      for (const line of lines) {
        const bytes = Buffer.byteLength(line) + 1
        if (size + chunkBytes > 0 && size + chunkBytes + bytes > rotation.maxBytes) {
          if (chunk !== "") writeSync(fd as number, chunk)
          chunk = ""
          chunkBytes = 0
          rotate() // reopens the file: size from the new one
        }
        chunk += `${line}\n`
        chunkBytes += bytes
      }
      writeSync(fd as number, chunk)
      size += chunkBytes
      reported = false
    } catch (error) {
      report(error)
      try {
        close()
      } catch {
        // already gone: the next write opens it again
      }
    }
  }

  const file = {
    path,
    write: (line: string) => {
      pending.push(line)
      if (!batched) return flush()
      if (scheduled) return
      scheduled = true
      unflushed.add(file)
      if (!exitHook) {
        exitHook = true
        process.once("exit", () => {
          for (const waiting of [...unflushed]) waiting.flush()
        })
      }
      setImmediate(flush)
    },
    /** Writes what is waiting now (close does too). */
    flush,
    close: () => {
      flush()
      close()
    },
  }
  return file
}

export type RotatingFile = ReturnType<typeof openRotatingFile>
