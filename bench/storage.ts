/**
 * `npm run bench:storage [-- 1000 10000 100000] [--node-flags=--max-semi-space-size=4]`
 *
 * The file storage with 1 000, 10 000 and 100 000 students on disk. For each size, two child processes
 * (so RSS is the storage's own): the first start (no index snapshot: every file read once), then a
 * restart (snapshot present, a stat per file in the background). Prints start-up to ready, index time,
 * statistics time, cold and warm reads/s, cache hit rate, durable saves/s, export pace and RSS.
 * It measures; it asserts nothing.
 */
import { spawn } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { cpus, tmpdir, totalmem } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { IMAGE, keptBundle } from "./image.ts"
import { seedStudents } from "./seed-students.ts"

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { "node-flags": { type: "string", default: "" } },
})
const nodeFlags = values["node-flags"].split(" ").filter((flag) => flag !== "")
const sizes = positionals.map(Number)
const counts =
  sizes.length > 0 && sizes.every((n) => Number.isInteger(n) && n > 0) ? sizes : [1_000, 10_000, 100_000]
const log = (line: string) => process.stdout.write(`${line}\n`)

type Figures = Record<string, number | string>

/** The worker as the bot runs in the image: bundled, when the image runs a bundle. */
const bundledWorker = async () => {
  const build = await mkdtemp(join(tmpdir(), "bench-storage-build-"))
  try {
    return join(
      await keptBundle(build, { "storage-worker": "bench/storage-worker.ts" }),
      "storage-worker.mjs",
    )
  } finally {
    await rm(build, { recursive: true, force: true })
  }
}
const worker = IMAGE.entry.startsWith("dist/")
  ? await bundledWorker()
  : join(import.meta.dirname, "storage-worker.ts")

const tunables = IMAGE.env.GLIBC_TUNABLES

const measure = (directory: string, phase: string) =>
  new Promise<Figures & { processReadyMs: number }>((done, fail) => {
    const spawned = performance.now()
    const child = spawn(
      process.execPath,
      // the node flags the bot runs with (the Dockerfile's CMD), then any given here
      [...IMAGE.flags, ...nodeFlags, worker, directory, phase],
      {
        stdio: ["ignore", "pipe", "inherit"],
        // the image's malloc tuning (GLIBC_TUNABLES), which changes how much memory the process keeps
        env: {
          ...process.env,
          ...(tunables === undefined ? {} : { GLIBC_TUNABLES: tunables }),
          LOG_LEVEL: "WARNING",
        },
      },
    )
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once("exit", (code) => {
      const line = output.split("\n").find((text) => text.startsWith("{"))
      if (code !== 0 || line === undefined) return fail(new Error(`worker exited ${code}: ${output}`))
      const figures = JSON.parse(line) as Figures
      const total = performance.now() - spawned
      done({
        ...figures,
        processReadyMs: Math.round(Number(figures.importMs) + Number(figures.readyMs)),
        totalMs: Math.round(total),
      })
    })
  })

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
log(`bench:storage — ${machine}, node ${[...IMAGE.flags, ...nodeFlags, worker].join(" ")}`)
const results: Array<Figures> = []
for (const count of counts) {
  const directory = await mkdtemp(join(tmpdir(), `bench-users-${count}-`))
  const seeding = performance.now()
  await seedStudents(directory, count)
  log(`\n${count.toLocaleString("en")} students (seeded in ${Math.round(performance.now() - seeding)} ms)`)
  for (const phase of ["first", "restart"]) {
    const f = await measure(directory, phase)
    results.push({ students: count, ...f })
    log(`  ${phase === "first" ? "first start (no snapshot)" : "restart (snapshot)       "}:`)
    log(
      `    start-up to ready      ${f.readyMs} ms storage open, ${f.processReadyMs} ms from process start (module loading ${f.importMs} ms)`,
    )
    log(`    index complete         ${f.indexMs} ms after ready (${f.count} students)`)
    log(`    statistics             ${f.statsWarmMs} ms warm (max of 5), ${f.statsFirstMs} ms first`)
    log(
      `    reads                  ${f.coldReadsPerSecond}/s cold (file), ${f.warmReadsPerSecond}/s warm (cache)`,
    )
    log(`    cache hit rate         ${f.hitRate} % (100 000 lookups, 90 % from the 10 % active students)`)
    log(
      `    durable saves          ${f.savesPerSecond}/s with 16 at once, ${f.sequentialSavesPerSecond}/s one by one`,
    )
    log(`    export (reads files)   ${f.exportPerSecond} students/s (first ${f.exported})`)
    log(
      `    RSS                    ${f.rssIndexed} MB indexed and compacted, ${f.rss} MB at the end (peak ${f.peakRss} MB)`,
    )
    if (f.liveHeapMb !== undefined)
      log(`    after a full GC        ${f.liveHeapMb} MB live heap, RSS ${f.rssAfterGc} MB`)
  }
  await rm(directory, { recursive: true, force: true })
}
log(`\n${JSON.stringify(results)}`)
