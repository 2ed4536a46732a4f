import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { readdir, readFile, stat, utimes, writeFile } from "node:fs/promises"
import { hostname } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Effect, Either, Exit, Scope } from "effect"
import {
  removeLeftoverTemporaries,
  writeFileAtomically,
  writeJsonAtomically,
} from "../../../src/adapters/files/atomic-write.ts"
import { holdDirectory, LOCK_FILE } from "../../../src/adapters/files/directory-lock.ts"
import { makeKeyedLock } from "../../../src/adapters/files/keyed-lock.ts"
import { usersDirectory } from "../../support/file-storage.ts"

const hold = async (dir: string) => {
  const scope = Effect.runSync(Scope.make())
  const result = await Effect.runPromise(Effect.either(Scope.extend(holdDirectory(dir), scope)))
  return { result, release: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

const lockedBy = (dir: string, holder: object) => writeFile(join(dir, LOCK_FILE), JSON.stringify(holder))

describe("atomic writes", () => {
  it("replaces a file durably with mode 0600 and leaves no temporary file", async () => {
    const dir = await usersDirectory()
    const path = join(dir, "record.json")
    await writeFile(path, "old")
    const written = await writeJsonAtomically(path, { a: "ب" })
    assert.equal(await readFile(path, "utf8"), '{\n  "a": "ب"\n}\n')
    const stats = await stat(path)
    assert.deepEqual(written, { mtimeMs: stats.mtimeMs, size: stats.size })
    assert.equal(stats.mode & 0o777, 0o600)
    assert.deepEqual(await readdir(dir), ["record.json"])
  })

  it("removes the temporary file when the rename fails", async () => {
    const dir = await usersDirectory()
    await assert.rejects(writeFileAtomically(join(dir, "missing-folder", "x.json"), "x"))
    await assert.rejects(writeFileAtomically(dir, "a directory cannot be replaced by a file"))
    assert.deepEqual(await readdir(dir), [])
  })

  it("removes temporary files a crash left, and nothing else", async () => {
    const dir = await usersDirectory()
    await writeFile(join(dir, ".user_1.json.K7QX2M9A.tmp"), "{")
    await writeFile(join(dir, ".readyz-12.tmp"), "ok")
    await writeFile(join(dir, "user_1.json"), "{}")
    await writeFile(join(dir, "notes.tmp"), "visible files are not ours")
    assert.equal(await removeLeftoverTemporaries(dir), 2)
    assert.deepEqual((await readdir(dir)).sort(), ["notes.tmp", "user_1.json"])
  })
})

describe("per-key lock", () => {
  it("runs effects of one key one at a time, in the order they asked, and other keys freely", async () => {
    const lock = makeKeyedLock<number>()
    const events: Array<string> = []
    const job = (key: number, name: string) =>
      lock.withLock(
        key,
        Effect.gen(function* () {
          events.push(`${name}+`)
          yield* Effect.sleep("5 millis")
          events.push(`${name}-`)
        }),
      )
    await Effect.runPromise(
      Effect.all([job(1, "a"), job(1, "b"), job(2, "x"), job(1, "c")], { concurrency: "unbounded" }),
    )
    const one = events.filter((event) => !event.startsWith("x"))
    assert.deepEqual(one, ["a+", "a-", "b+", "b-", "c+", "c-"])
    assert.ok(events.indexOf("x+") < events.indexOf("a-"), "key 2 did not wait for key 1")
    assert.equal(lock.busyKeys(), 0, "idle keys are forgotten")
  })

  it("releases the key when the effect fails or is interrupted", async () => {
    const lock = makeKeyedLock<string>()
    await Effect.runPromise(Effect.either(lock.withLock("k", Effect.fail("no"))))
    await Effect.runPromise(Effect.timeout(lock.withLock("k", Effect.never), "5 millis").pipe(Effect.either))
    assert.equal(await Effect.runPromise(lock.withLock("k", Effect.succeed(1))), 1)
    assert.equal(lock.busyKeys(), 0)
  })
})

describe("directory lock against a second bot process", () => {
  it("refuses while a live process on this host holds the directory, naming it", async () => {
    const dir = await usersDirectory()
    const other = spawn("sleep", ["30"])
    try {
      await lockedBy(dir, { pid: other.pid, host: hostname(), since: "2026-11-27T10:00:00Z" })
      const { result } = await hold(dir)
      assert.ok(Either.isLeft(result))
      assert.match(result.left.reason, new RegExp(`in use by another bot process \\(pid ${other.pid} on `))
      assert.match(result.left.reason, /stop the other one first/)
    } finally {
      other.kill()
    }
  })

  it("takes over a lock left by a dead process, or by this pid before a restart, and releases it", async () => {
    const dir = await usersDirectory()
    const dead = spawn("true")
    await new Promise((done) => dead.once("exit", done))
    for (const pid of [dead.pid, process.pid]) {
      await lockedBy(dir, { pid, host: hostname(), since: "2026-11-27T10:00:00Z" })
      const { result, release } = await hold(dir)
      assert.ok(Either.isRight(result))
      assert.equal(JSON.parse(await readFile(join(dir, LOCK_FILE), "utf8")).pid, process.pid)
      await release()
      assert.deepEqual(await readdir(dir), [], "released on shutdown")
    }
  })

  it("trusts another host's lock while it is touched, and takes it over when it goes stale", async () => {
    const dir = await usersDirectory()
    await lockedBy(dir, { pid: 1, host: "some-other-host", since: "2026-11-27T10:00:00Z" })
    assert.ok(Either.isLeft((await hold(dir)).result))
    const old = new Date(Date.now() - 60_000)
    await utimes(join(dir, LOCK_FILE), old, old)
    const { result, release } = await hold(dir)
    assert.ok(Either.isRight(result))
    await release()
  })

  it("takes over a lock file cut short at creation once it is stale", async () => {
    const dir = await usersDirectory()
    await writeFile(join(dir, LOCK_FILE), '{"pid": 4')
    assert.ok(Either.isLeft((await hold(dir)).result), "fresh: maybe being written right now")
    const old = new Date(Date.now() - 60_000)
    await utimes(join(dir, LOCK_FILE), old, old)
    const { result, release } = await hold(dir)
    assert.ok(Either.isRight(result))
    await release()
  })
})
