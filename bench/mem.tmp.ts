import { Context, Effect, Layer, Scope, Exit } from "effect"
import { MetricsLive } from "../src/adapters/decorators/metrics.ts"
import { FileStorage } from "../src/adapters/storage/file-storage.ts"
import { StudentDirectory } from "../src/application/ports/student-directory.ts"
const m = (label: string) => { const u = process.memoryUsage(); console.log(label, "rss", Math.round(u.rss / 2**20), "heapUsed", Math.round(u.heapUsed / 2**20), "heapTotal", Math.round(u.heapTotal / 2**20), "ext", Math.round(u.external / 2**20), "ab", Math.round(u.arrayBuffers / 2**20)) }
m("loaded")
const scope = Effect.runSync(Scope.make())
const layer = FileStorage({ directory: "/tmp/bench100k", cache: { ttlSeconds: 300, maxEntries: 10_000 }, draftMaxAgeDays: 7, cleanupIntervalSeconds: 300 }).pipe(Layer.provideMerge(MetricsLive()))
let t = performance.now()
const context = await Effect.runPromise(Layer.buildWithScope(layer, scope))
console.log("ready", Math.round(performance.now() - t)); m("ready")
t = performance.now()
const count = await Effect.runPromise(Context.get(context, StudentDirectory).count)
console.log("indexed", count, Math.round(performance.now() - t)); m("indexed")
await Effect.runPromise(Context.get(context, StudentDirectory).summaries); m("summaries")
globalThis.gc?.(); m("after gc")
await new Promise((r) => setTimeout(r, 5000)); m("after 5 s idle")
await Effect.runPromise(Scope.close(scope, Exit.void))
