import { mkdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect } from "effect"
import { attempt } from "../../application/ports/storage-error.ts"
import type { ReceivedUpdate } from "../../application/ports/update-inbox.ts"
import { UpdateInbox } from "../../application/ports/update-inbox.ts"
import { UpdateJournal } from "../../application/ports/update-journal.ts"
import { randomId } from "../system/ids.ts"
import { openAppendLog } from "./append-log.ts"

export const INBOX_FILE = "inbox.log"

/** Lines "<update_id> <received, epoch ms> <the update as JSON>\n". */
const LINE = /^(\d+) (\d+) (.+)$/

const lineOf = (update: ReceivedUpdate, at: number) => `${update.id} ${at} ${JSON.stringify(update.raw)}\n`

/**
 * The inbox as an append-only file in `dir`, beside the handled-update journal. Updates are stored with
 * one group-committed write + fdatasync per call (and calls at the same time share it); an update
 * already stored is not written again. At open, a torn last line (a crash mid-write: never acknowledged)
 * is cut off, and a damaged line is skipped and logged with an error ID. Pruning rewrites the file
 * atomically without the handled updates received before the cutoff.
 */
export const makeFileUpdateInbox = (dir: string, now: () => number = Date.now) =>
  Effect.gen(function* () {
    const journal = yield* UpdateJournal
    const path = join(dir, INBOX_FILE)
    const { text, log } = yield* Effect.acquireRelease(
      attempt("open", async () => {
        await mkdir(dir, { recursive: true, mode: 0o700 })
        return await openAppendLog(path)
      }),
      ({ log }) => Effect.promise(() => log.close()),
    )
    /** Update id → when it was received, for every update stored. */
    const received = new Map<number, number>()
    /** Updates being written now: a second store of one waits for the first (it is not stored before). */
    const writing = new Map<number, Promise<void>>()
    const leftOver: Array<ReceivedUpdate> = []
    for (const line of text.split("\n")) {
      if (line === "") continue
      const match = LINE.exec(line)
      const id = Number(match?.[1])
      let raw: unknown
      try {
        if (match === null) throw new Error("not an inbox line")
        received.set(id, Number(match[2]))
        if (yield* journal.has(id)) continue
        raw = JSON.parse(match[3] ?? "")
      } catch (error) {
        const errorId = randomId()
        yield* Effect.logError(
          `update inbox: damaged line skipped [${errorId}]${match === null ? "" : ` (update ${id})`}`,
          error instanceof Error ? error.message : String(error),
        ).pipe(Effect.annotateLogs({ errorId }))
        continue
      }
      leftOver.push({ id, raw })
    }
    leftOver.sort((a, b) => a.id - b.id)

    const store = async (updates: ReadonlyArray<ReceivedUpdate>) => {
      const fresh: Array<ReceivedUpdate> = []
      const others: Array<Promise<void>> = []
      for (const update of updates) {
        const pending = writing.get(update.id)
        if (pending !== undefined) others.push(pending)
        else if (!received.has(update.id) && !fresh.some((other) => other.id === update.id))
          fresh.push(update)
      }
      if (fresh.length > 0) {
        const at = now()
        const written = log.append(fresh.map((update) => lineOf(update, at)).join(""), () => {
          for (const update of fresh) received.set(update.id, at)
        })
        const settled = written.then(
          () => undefined,
          () => undefined,
        )
        for (const update of fresh) writing.set(update.id, settled)
        try {
          await written
        } finally {
          for (const update of fresh) writing.delete(update.id)
        }
      }
      await Promise.all(others)
      return fresh
    }

    return UpdateInbox.of({
      store: (updates) => attempt("store update", () => store(updates)),
      unhandled: Effect.filter(leftOver, (update) =>
        journal.has(update.id).pipe(Effect.map((handled) => !handled)),
      ),
      prune: (cutoff) =>
        Effect.gen(function* () {
          const forget = new Set<number>()
          for (const [id, at] of received)
            if (at < cutoff.getTime() && (yield* journal.has(id))) forget.add(id)
          if (forget.size === 0) return 0
          return yield* attempt("prune", () =>
            log.exclusive(async (file) => {
              const lines = (await readFile(path, "utf8")).split("\n")
              const kept = lines.filter((line) => {
                const match = LINE.exec(line)
                return match !== null && !forget.has(Number(match[1]))
              })
              await file.rewrite(kept.map((line) => `${line}\n`).join(""))
              for (const id of forget) received.delete(id)
              return forget.size
            }),
          )
        }),
    })
  })
