import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { readdir, readFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import { describe, it } from "node:test"
import { decodeStudentFile } from "../../../src/adapters/common/student-file.ts"
import { replayDraftJournal } from "../../../src/adapters/files/draft-journal.ts"
import { draftJournalPath } from "../../../src/adapters/files/file-draft-store.ts"
import { usersDirectory } from "../../support/file-storage.ts"
import { versionOf } from "../../support/students.ts"

const CHILD = resolve(import.meta.dirname, "../../support/save-under-load.ts")
const ROUNDS = 20

/** Starts the saving child; resolves once it is saving, with the student count its index reported. */
const startSaving = (dir: string, firstVersion: number) => {
  const child = spawn(process.execPath, [CHILD, dir, String(firstVersion)], {
    env: { PATH: process.env.PATH ?? "", NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE ?? "" },
    stdio: ["ignore", "pipe", "inherit"],
  })
  const acked = new Map<string, number>()
  let buffer = ""
  let acks = 0
  let onFirstAck: () => void = () => undefined
  const firstAck = new Promise<void>((done) => {
    onFirstAck = done
  })
  let onReady: (counts: { indexed: number; files: number; leftovers: number }) => void = () => undefined
  const ready = new Promise<{ indexed: number; files: number; leftovers: number }>((done) => {
    onReady = done
  })
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString()
    const lines = buffer.split("\n")
    buffer = lines.pop() ?? ""
    for (const line of lines) {
      const [kind, id, version, more] = line.split(" ")
      if (kind === "ready") onReady({ indexed: Number(id), files: Number(version), leftovers: Number(more) })
      if (kind === "ack" || kind === "draft") {
        acks += 1
        if (acks === 1) onFirstAck()
        const key = `${kind} ${id}`
        acked.set(key, Math.max(acked.get(key) ?? -1, Number(version)))
      }
    }
  })
  const exited = new Promise<void>((done) => child.once("exit", () => done()))
  return { child, ready, firstAck, acked, acks: () => acks, exited }
}

const json = async (path: string) => JSON.parse(await readFile(path, "utf8"))

describe("crash safety: a process saving under load, killed with SIGKILL 20 times", () => {
  it("after every restart each file parses and every acknowledged save and draft is on disk", async () => {
    const dir = await usersDirectory()
    const acked = new Map<string, number>()
    for (let round = 0; round < ROUNDS; round++) {
      const saving = startSaving(dir, round * 1_000_000)
      try {
        const { indexed, files, leftovers } = await saving.ready
        assert.equal(indexed, files, "the index matches the files")
        assert.equal(leftovers, 0, "temporary files of the killed process removed at start")
        // Killed at a random moment once saving is under way.
        await saving.firstAck
        await new Promise((done) => setTimeout(done, Math.random() * 250))
      } finally {
        saving.child.kill("SIGKILL")
        await saving.exited
      }
      for (const [key, version] of saving.acked) acked.set(key, Math.max(acked.get(key) ?? -1, version))

      // What the next start replays: every line but a torn last one decodes.
      const journal = await readFile(draftJournalPath(dir), "utf8").catch(() => "")
      const { drafts, damaged } = replayDraftJournal(journal.slice(0, journal.lastIndexOf("\n") + 1))
      assert.deepEqual(damaged, [], `round ${round}: no damaged draft line`)
      for (const name of await readdir(dir)) {
        if (!/^user_\d+\.json$/.test(name)) continue
        const file = await json(join(dir, name))
        assert.equal(decodeStudentFile(file)._tag, "Right", `${name} is a valid student`)
      }
      for (const [key, version] of acked) {
        const [kind, id] = key.split(" ")
        if (kind === "ack") {
          const file = await json(join(dir, `user_${id}.json`))
          assert.ok(versionOf(file) >= version, `round ${round}: student ${id} has save ${version}`)
        } else {
          const draft = drafts.get(Number(id))
          assert.ok(draft !== undefined, `round ${round}: draft ${id} is there`)
          assert.ok(
            draft.conversation.draft.revision >= version,
            `round ${round}: draft ${id} has ${version}`,
          )
        }
      }
    }
  })
})
