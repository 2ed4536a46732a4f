import { type FileHandle, open, readFile } from "node:fs/promises"
import { writeFileAtomically } from "./atomic-write.ts"

type Waiting = {
  readonly text: string
  readonly durable: () => void
  readonly done: (error?: unknown) => void
}

/** What `exclusive` lets a task do to the file while no append runs. */
export type LogRewriter = {
  /** Replaces the whole file atomically (a snapshot) and appends after it from now on. */
  readonly rewrite: (content: string) => Promise<void>
}

export type AppendLog = {
  /**
   * Appends `text` (whole lines) and resolves once it is written and fdatasynced. `durable` runs right
   * after the sync, before any other append resolves or any `exclusive` task starts: the place to update
   * what the caller keeps in memory, so a snapshot taken in `exclusive` never misses an acknowledged line.
   */
  readonly append: (text: string, durable?: () => void) => Promise<void>
  /** Runs `task` once the appends already asked for are durable, holding new ones until it is done. */
  readonly exclusive: <A>(task: (file: LogRewriter) => Promise<A>) => Promise<A>
  /** How many write + fdatasync rounds went to disk (a group-committed batch counts once). */
  readonly syncs: () => number
  /** Writes what is waiting, then closes the file. */
  readonly close: () => Promise<void>
}

export type OpenedLog = {
  /** The file's complete lines (each ending in "\n"); a torn last line from a crash is cut off the file. */
  readonly text: string
  readonly log: AppendLog
}

/**
 * Writes all of `content`: one write may write part of it (a disk filling up takes what fits and refuses the
 * rest only on the next write), and a part must not count as written. The common case is one write.
 */
const writeWhole = async (handle: FileHandle, content: string) => {
  const { bytesWritten } = await handle.write(content)
  const length = Buffer.byteLength(content)
  if (bytesWritten === length) return
  let rest = Buffer.from(content).subarray(bytesWritten)
  while (rest.length > 0) rest = rest.subarray((await handle.write(rest)).bytesWritten)
}

/**
 * An append-only file of lines, group-committed: lines that arrive while a write + fdatasync is under
 * way go out together in the next one, so many writers at once cost few syncs.
 */
export const openAppendLog = async (path: string): Promise<OpenedLog> => {
  const read = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return ""
    throw error
  })
  const text = read.slice(0, read.lastIndexOf("\n") + 1)
  let handle: FileHandle = await open(path, "a", 0o600)
  // cut a torn last line off, so that the next line starts on a line of its own
  if (text.length < read.length) await handle.truncate(Buffer.byteLength(text))
  let waiting: Array<Waiting> = []
  let writing: Promise<void> | undefined
  let syncs = 0
  // after a failed write the file may end in part of a line: the next write starts on a fresh one
  let torn = false

  const writeAll = async () => {
    while (waiting.length > 0) {
      const batch = waiting
      waiting = []
      try {
        const content = `${torn ? "\n" : ""}${batch.map((entry) => entry.text).join("")}`
        torn = true
        await writeWhole(handle, content)
        await handle.datasync()
        torn = false
        syncs += 1
      } catch (error) {
        for (const entry of batch) entry.done(error)
        continue
      }
      for (const entry of batch) entry.durable()
      for (const entry of batch) entry.done()
    }
  }
  const exclusive = async <A>(task: () => Promise<A>): Promise<A> => {
    while (writing !== undefined) await writing
    let release = () => {}
    writing = new Promise((resolve) => {
      release = resolve
    })
    try {
      return await task()
    } finally {
      writing = undefined
      release()
      if (waiting.length > 0) void startWriting()
    }
  }
  const startWriting = () => (writing === undefined ? exclusive(writeAll) : Promise.resolve())
  const rewriter: LogRewriter = {
    rewrite: async (content) => {
      await writeFileAtomically(path, content)
      await handle.close()
      handle = await open(path, "a", 0o600)
      torn = false
    },
  }

  const log: AppendLog = {
    append: (text, durable = () => {}) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ text, durable, done: (error) => (error === undefined ? resolve() : reject(error)) })
        void startWriting()
      }),
    exclusive: (task) =>
      exclusive(async () => {
        await writeAll()
        return task(rewriter)
      }),
    syncs: () => syncs,
    close: () => exclusive(writeAll).then(() => handle.close().catch(() => undefined)),
  }
  return { text, log }
}
