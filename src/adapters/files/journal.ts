import { mkdir, readFile } from "node:fs/promises"
import { dirname } from "node:path"
import { Schema } from "effect"
import type { Change, Persist } from "../records/table.ts"
import { openAppendLog } from "./append-log.ts"
import { writeFileAtomically } from "./atomic-write.ts"

type Line = { readonly k: string; readonly v?: unknown }

export type OpenedJournal<V> = {
  readonly rows: ReadonlyArray<readonly [string, V]>
  /** Lines that did not decode (a torn last line after a crash is not counted: it was never acknowledged). */
  readonly skipped: number
  readonly persist: Persist<V>
  readonly close: () => Promise<void>
}

/**
 * An append-only JSON-lines file of row changes, on the append log (append-log.ts): a change is acknowledged
 * only after its line is fdatasynced (group-committed with the changes that arrive with it), and a crash can
 * at worst leave a torn last line, which was never acknowledged and is dropped. At open the file is
 * compacted to one line per live row (written atomically).
 */
export const openJournal = async <V, I>(
  path: string,
  schema: Schema.Schema<V, I>,
): Promise<OpenedJournal<V>> => {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return ""
    throw error
  })
  const complete = text.endsWith("\n") ? text : text.slice(0, text.lastIndexOf("\n") + 1)
  const decode = Schema.decodeUnknownEither(schema)
  const encode = Schema.encodeSync(schema)
  const rows = new Map<string, V>()
  let skipped = 0
  for (const raw of complete.split("\n")) {
    if (raw === "") continue
    try {
      const line = JSON.parse(raw) as Line
      if (typeof line.k !== "string") throw new Error("no key")
      if (line.v === undefined) {
        rows.delete(line.k)
        continue
      }
      const value = decode(line.v)
      if (value._tag === "Left") throw new Error("does not decode")
      rows.set(line.k, value.right)
    } catch {
      skipped++
    }
  }
  const lineOf = ([k, value]: Change<V>) =>
    `${JSON.stringify(value === undefined ? { k } : { k, v: encode(value) })}\n`
  await writeFileAtomically(path, [...rows].map(lineOf).join(""))
  // the same append log as the inbox, the handled-update journal and the drafts: changes that arrive
  // together share one write + fdatasync, and a line is acknowledged only once all of it is on disk
  const { log } = await openAppendLog(path)
  return {
    rows: [...rows],
    skipped,
    persist: (changes) => log.append(changes.map(lineOf).join("")),
    close: () => log.close(),
  }
}
