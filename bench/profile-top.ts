/**
 * `node bench/profile-top.ts <file.cpuprofile> [N]`: the N functions (default 15) with the most self time in a
 * V8 CPU profile (--cpu-prof), with their share of all samples and where they live — what RESULTS.md lists.
 */
import { readFileSync } from "node:fs"
import { bundleModules } from "./bundle-modules.ts"

type Node = {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly hitCount?: number
}
const [path, count = "15"] = process.argv.slice(2)
if (path === undefined) {
  process.stderr.write("usage: node bench/profile-top.ts <file.cpuprofile> [N]\n")
  process.exit(2)
}
const profile = JSON.parse(readFileSync(path, "utf8")) as {
  nodes: ReadonlyArray<Node>
  samples: ReadonlyArray<number>
  timeDeltas: ReadonlyArray<number>
}
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const moduleOf = bundleModules()
const self = new Map<string, number>()
const byModule = new Map<string, number>()
let total = 0
for (const [index, id] of profile.samples.entries()) {
  const node = byId.get(id)
  if (node === undefined) continue
  const micros = profile.timeDeltas[index] ?? 0
  total += micros
  const { functionName, url, lineNumber } = node.callFrame
  const where = url === "" ? "" : `${moduleOf(url, lineNumber + 1)} (line ${lineNumber + 1})`
  const key = `${functionName || "(anonymous)"}  ${where}`
  self.set(key, (self.get(key) ?? 0) + micros)
  const module =
    url === ""
      ? functionName.startsWith("(")
        ? functionName
        : "(native: fs, sockets, JSON…)"
      : moduleOf(url, lineNumber + 1)
          .replace(/^node_modules\/(@[^/]+\/[^/]+|[^/]+)\/.*$/, "$1")
          .replace(/^node:.*$/, "(node internals)")
  byModule.set(module, (byModule.get(module) ?? 0) + micros)
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(count))
process.stdout.write(`| # | self ms | share | function  where |\n|---|---:|---:|---|\n`)
for (const [index, [key, micros]] of rows.entries())
  process.stdout.write(
    `| ${index + 1} | ${(micros / 1000).toFixed(0)} | ${((100 * micros) / total).toFixed(1)} % | \`${key}\` |\n`,
  )
process.stdout.write(
  `\nself time by package (our modules each on its own):\n\n| self ms | share | package or module |\n|---:|---:|---|\n`,
)
for (const [module, micros] of [...byModule].sort((a, b) => b[1] - a[1]).slice(0, Number(count)))
  process.stdout.write(
    `| ${(micros / 1000).toFixed(0)} | ${((100 * micros) / total).toFixed(1)} % | \`${module}\` |\n`,
  )
process.stdout.write(`\ntotal sampled: ${(total / 1e6).toFixed(2)} s\n`)
