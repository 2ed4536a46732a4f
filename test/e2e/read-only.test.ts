import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { mkdir, readdir } from "node:fs/promises"
import { join, resolve } from "node:path"
import { after, describe, it } from "node:test"
import { type BotApiEmulator, startBotApiEmulator } from "../../playground/bot-api-emulator.ts"
import { type BotProcess, startBot, temporaryDirectory } from "../support/bot-process.ts"
import { untilReady } from "../support/delivery.ts"
import { studentDriver } from "../support/student-driver.ts"

const REPOSITORY = resolve(import.meta.dirname, "../..")

/** Mounts `source` read-only at a new directory (root only); undefined, with the reason, where it cannot. */
const readOnlyMount = async (source: string): Promise<{ path: string } | { skip: string }> => {
  if (process.getuid?.() !== 0) return { skip: "a read-only bind mount needs root (the tests run as a user)" }
  const target = await temporaryDirectory("read-only-")
  try {
    execFileSync("mount", ["--bind", source, target], { stdio: "ignore" })
    execFileSync("mount", ["-o", "remount,bind,ro", target], { stdio: "ignore" })
    return { path: target }
  } catch (error) {
    return { skip: `mount is not available here (${String(error).split("\n")[0]})` }
  }
}
const unmount = (path: string) => execFileSync("umount", [path], { stdio: "ignore" })

describe("read-only file systems: the real bot process on bind mounts", () => {
  const mounts: Array<string> = []
  const bots: Array<BotProcess> = []
  let emulator: BotApiEmulator | undefined
  after(async () => {
    for (const bot of bots) if (bot.child.exitCode === null) await bot.kill()
    await emulator?.close()
    for (const path of mounts.reverse()) unmount(path)
  })

  it("refuses a read-only USERS_DIR in one sentence naming the variable, the path and the cause", async (t) => {
    const source = await temporaryDirectory("volume-")
    await mkdir(join(source, "users"))
    const mount = await readOnlyMount(source)
    if ("skip" in mount) return t.skip(mount.skip)
    mounts.push(mount.path)
    const started = Date.now()
    const bot = startBot(
      { BOT_TOKEN: "123456:ABC-def", USERS_DIR: join(mount.path, "users") },
      { onlyGiven: true },
    )
    bots.push(bot)
    assert.equal(await bot.exited, 1)
    assert.ok(Date.now() - started < 10_000, "within 10 s")
    assert.match(
      bot.output(),
      new RegExp(`USERS_DIR ${join(mount.path, "users")} is not writable \\(read-only file system\\)`),
    )
    assert.ok(!bot.output().includes("ENOENT"), bot.output())
    assert.equal(bot.output().trim().split("\n").length, 2, bot.output())
  })

  it("runs from a read-only checkout with only USERS_DIR writable, and writes nothing else", async (t) => {
    const mount = await readOnlyMount(REPOSITORY)
    if ("skip" in mount) return t.skip(mount.skip)
    mounts.push(mount.path)
    emulator = await startBotApiEmulator()
    const usersDir = await temporaryDirectory("data-")
    const bot = startBot(
      { BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.url, USERS_DIR: usersDir },
      { cwd: mount.path, main: join(mount.path, "src", "main.ts"), onlyGiven: true },
    )
    bots.push(bot)
    await untilReady(bot, emulator, "polling for updates")
    const ali = studentDriver(emulator, { id: 9201, first_name: "Ali" }, 15_000)
    await ali.register({ first: "علی", last: "رضایی", grade: "دهم", phone: "+989121234567" })
    const names = await readdir(usersDir)
    for (const name of ["user_9201.json", "records", "logs"])
      assert.ok(names.includes(name), names.join(", "))
    assert.equal(await bot.stop(), 0)
  })
})
