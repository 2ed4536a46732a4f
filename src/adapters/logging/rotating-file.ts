import { closeSync, fstatSync, openSync, renameSync, writeSync } from "node:fs"

export type Rotation = {
  /** A file is rotated before a line would take it past this size. */
  readonly maxBytes: number
  /** Rotated files kept besides the current one: name.1 (newest) … name.N (oldest). */
  readonly keep: number
}

export const DEFAULT_ROTATION: Rotation = { maxBytes: 10 * 1024 * 1024, keep: 5 }

/**
 * An append-only log file rotated by size. Writes are synchronous: a line is on its way to the disk
 * before the call returns, so nothing is lost when the process exits, and a line of a few hundred
 * bytes costs microseconds. A failing disk never stops the bot: the problem is reported once on
 * stderr and writing is retried on the next line.
 */
export const openRotatingFile = (path: string, rotation: Rotation = DEFAULT_ROTATION) => {
  let fd: number | undefined
  let size = 0
  let reported = false

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

  return {
    path,
    write: (line: string) => {
      try {
        if (fd === undefined) open()
        const bytes = Buffer.from(`${line}\n`)
        if (size > 0 && size + bytes.length > rotation.maxBytes) rotate()
        writeSync(fd as number, bytes)
        size += bytes.length
        reported = false
      } catch (error) {
        report(error)
        try {
          close()
        } catch {
          // already gone: the next write opens it again
        }
      }
    },
    close,
  }
}

export type RotatingFile = ReturnType<typeof openRotatingFile>
