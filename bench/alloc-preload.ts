/**
 * `npm run bench -- --only ours --node-flags=--import=./bench/alloc-preload.ts` (with BENCH_ALLOC_FILE set):
 * samples what the bot allocates, collected objects included, from BENCH_ALLOC_START_MS after start for
 * BENCH_ALLOC_MS, and writes the sampling heap profile there; `node bench/alloc-top.ts FILE` lists it.
 */
import { writeFileSync } from "node:fs"
import { Session } from "node:inspector/promises"

const file = process.env.BENCH_ALLOC_FILE
if (file !== undefined) {
  const session = new Session()
  session.connect()
  const start = Number(process.env.BENCH_ALLOC_START_MS ?? 5000)
  const duration = Number(process.env.BENCH_ALLOC_MS ?? 8000)
  setTimeout(async () => {
    await session.post("HeapProfiler.startSampling", {
      samplingInterval: 16384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    })
    setTimeout(async () => {
      const { profile } = await session.post("HeapProfiler.stopSampling")
      writeFileSync(file, JSON.stringify(profile))
    }, duration).unref()
  }, start).unref()
}
