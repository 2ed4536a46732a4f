/**
 * A child process for the crash test: opens USERS_DIR as the bot does, reports the index count, the
 * student files and the temporary files left (before it writes anything), then
 * saves students and drafts as fast as it can, printing "ack" only after each save resolved.
 * Usage: node save-under-load.ts <dir> <first version>
 */
import { readdir } from "node:fs/promises"
import { Effect } from "effect"
import { newRegistration } from "../../src/domain/registration-draft.ts"
import { UserId } from "../../src/domain/student.ts"
import { openFileStorage } from "./file-storage.ts"
import { student } from "./students.ts"

const [dir = "", first = "0"] = process.argv.slice(2)
const storage = await openFileStorage(dir)
const count = await storage.run(storage.directory.count)
const names = await readdir(dir)
const files = names.filter((name) => /^user_\d+\.json$/.test(name)).length
const leftovers = names.filter((name) => name.endsWith(".tmp")).length
process.stdout.write(`ready ${count} ${files} ${leftovers}\n`)
let version = Number(first)
const STUDENTS = 40

const worker = async () => {
  for (;;) {
    const id = 1 + Math.floor(Math.random() * STUDENTS)
    const v = version++
    if (v % 3 === 0) {
      await storage.run(storage.drafts.put(UserId.make(id), { draft: { ...newRegistration, revision: v } }))
      process.stdout.write(`draft ${id} ${v}\n`)
    } else {
      await storage.run(storage.repository.save(student(id, v, v % 2 === 0 ? "دهم" : "یازدهم")))
      process.stdout.write(`ack ${id} ${v}\n`)
    }
  }
}
await Promise.all(Array.from({ length: 8 }, worker))
await Effect.runPromise(Effect.never)
