/**
 * `npm run bench:charts [-- --students 100000] [--docs docs/charts]`: how long an admin's /stats takes with its
 * four charts, with N students on disk, from the image's bundle (dist/, as the Docker image runs it): the first
 * /stats (the chart worker starts: its modules, resvg's wasm, the font) and the next ones. Also the bot's RSS
 * before and after, and its start-up. With --docs the charts the bot sent are saved there (the README's).
 */
import { spawn } from "node:child_process"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"
import iran from "../data/iran.json" with { type: "json" }
import { startBotApiEmulator } from "../playground/bot-api-emulator.ts"
import { IMAGE, keptBundle } from "./image.ts"
import { sampleProcess } from "./process-stats.ts"

const { values } = parseArgs({
  options: {
    students: { type: "string", default: "100000" },
    docs: { type: "string" },
    rounds: { type: "string", default: "3" },
  },
})
const students = Number(values.students)
const ROOT = resolve(import.meta.dirname, "..")
const ADMIN = { id: 9_001, first_name: "Admin" }
const now = Date.now()

const work = await mkdtemp(join(tmpdir(), "bench-charts-"))
const usersDir = join(work, "users")
await mkdir(usersDir, { recursive: true, mode: 0o700 })
// Students over the last 30 days (more lately), provinces as a country's are: a few hold most.
const provinces = iran.provinces
let written = 0
const writer = async () => {
  while (written < students) {
    const index = written++
    const id = 1_000_000 + index
    const province = provinces[Math.floor(provinces.length * Math.random() ** 2.5)] ?? provinces[0]
    const date = new Date(now - Math.floor(30 * 86_400_000 * Math.random() ** 0.7)).toISOString()
    await writeFile(
      join(usersDir, `user_${id}.json`),
      `${JSON.stringify({
        user_id: id,
        first_name: "علی",
        last_name: "رضایی",
        grade: iran.grades[index % 3],
        major: iran.majors[Math.floor(4 * Math.random() ** 1.6)],
        province: province?.name,
        city: province?.cities[0],
        phone: `+98912${String(index % 10_000_000).padStart(7, "0")}`,
        registration_date: date,
        last_updated: date,
      })}\n`,
    )
  }
}
await Promise.all(Array.from({ length: 32 }, writer))

const bundle = await keptBundle(work)
const emulator = await startBotApiEmulator()
emulator.registerUser(ADMIN)
const spawned = performance.now()
const child = spawn(process.execPath, [...IMAGE.flags, join(bundle, "main.mjs")], {
  cwd: ROOT,
  env: {
    ...IMAGE.env,
    PATH: process.env.PATH ?? "",
    BOT_TOKEN: emulator.token,
    TELEGRAM_API_ROOT: emulator.url,
    USERS_DIR: usersDir,
    LOG_DIR: join(work, "logs"),
    PORT: "0",
    ADMIN_USER_IDS: String(ADMIN.id),
  },
  stdio: ["ignore", "pipe", "pipe"],
})
let output = ""
const keep = (chunk: Buffer) => {
  output += chunk.toString()
}
child.stdout.on("data", keep)
child.stderr.on("data", keep)
const log = (line: string) => process.stdout.write(`${line}\n`)
try {
  await emulator.waitFor(() => output.includes("polling for updates"), 60_000)
  const ready = Math.round(performance.now() - spawned)
  await emulator.waitFor(() => output.includes("student index ready"), 120_000)
  await new Promise((done) => setTimeout(done, 3000))
  const before = sampleProcess(child.pid ?? 0)
  const photos = () => emulator.messages(ADMIN.id).filter((message) => message.kind === "photo")
  const times: Array<number> = []
  const rounds = Number(values.rounds)
  for (let round = 0; round < rounds; round++) {
    const count = photos().length
    const started = performance.now()
    emulator.sendText(ADMIN, "/stats")
    await emulator.waitFor(() => photos().length === count + 4, 60_000)
    times.push(Math.round(performance.now() - started))
  }
  const after = sampleProcess(child.pid ?? 0)
  log(`bench:charts — ${students} students on disk, the image's bundle, ${IMAGE.flags.join(" ")}`)
  log(
    `  ready (first getUpdates) ${ready} ms; RSS idle before any chart ${Math.round((before?.rss ?? 0) / 2 ** 20)} MB`,
  )
  log(
    `  /stats with four charts: first ${times[0]} ms (starts the chart worker), then ${times.slice(1).join(", ")} ms`,
  )
  log(`  RSS after the charts ${Math.round((after?.rss ?? 0) / 2 ** 20)} MB (the worker's heap included)`)
  log(
    JSON.stringify({
      bench: "charts",
      students,
      readyMs: ready,
      statsMs: times,
      rssBeforeMb: (before?.rss ?? 0) / 2 ** 20,
      rssAfterMb: (after?.rss ?? 0) / 2 ** 20,
    }),
  )
  if (values.docs !== undefined) {
    await mkdir(values.docs, { recursive: true })
    const names = ["days", "grades", "provinces", "receipts"]
    for (const [index, photo] of photos().slice(-4).entries())
      await writeFile(join(values.docs, `${names[index]}.png`), photo.file?.content ?? new Uint8Array())
    log(`  saved the last four charts in ${values.docs}`)
  }
} finally {
  child.kill("SIGTERM")
  await new Promise((done) => child.once("exit", done))
  await emulator.close()
  await rm(work, { recursive: true, force: true })
}
