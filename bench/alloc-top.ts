/** `node bench/alloc-top.ts FILE [N]`: the N functions (default 20) that allocated most in a sampling heap profile. */
import { readFileSync } from "node:fs"
import { bundleModules } from "./bundle-modules.ts"

type Node = {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly selfSize: number
  readonly children: ReadonlyArray<Node>
}
const [path, count = "20"] = process.argv.slice(2)
if (path === undefined) throw new Error("usage: node bench/alloc-top.ts FILE [N]")
const { head } = JSON.parse(readFileSync(path, "utf8")) as { head: Node }
const moduleOf = bundleModules()
const self = new Map<string, number>()
const byModule = new Map<string, number>()
let total = 0
const walk = (node: Node) => {
  const { functionName, url, lineNumber } = node.callFrame
  const key = `${functionName || "(anonymous)"}  ${url === "" ? "" : `${moduleOf(url, lineNumber + 1)} (line ${lineNumber + 1})`}`
  self.set(key, (self.get(key) ?? 0) + node.selfSize)
  total += node.selfSize
  const module =
    url === ""
      ? "(native)"
      : moduleOf(url, lineNumber + 1)
          .replace(/^node_modules\/(@[^/]+\/[^/]+|[^/]+)\/.*$/, "$1")
          .replace(/^node:.*$/, "(node internals)")
  byModule.set(module, (byModule.get(module) ?? 0) + node.selfSize)
  for (const child of node.children) walk(child)
}
walk(head)
process.stdout.write(`| # | MB | share | function  where |\n|---|---:|---:|---|\n`)
for (const [index, [key, bytes]] of [...self]
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(count))
  .entries())
  process.stdout.write(
    `| ${index + 1} | ${(bytes / 2 ** 20).toFixed(1)} | ${((100 * bytes) / total).toFixed(1)} % | \`${key}\` |\n`,
  )
process.stdout.write(
  `\nby package (our modules each on its own):\n\n| MB | share | package or module |\n|---:|---:|---|\n`,
)
for (const [module, bytes] of [...byModule].sort((a, b) => b[1] - a[1]).slice(0, Number(count)))
  process.stdout.write(
    `| ${(bytes / 2 ** 20).toFixed(1)} | ${((100 * bytes) / total).toFixed(1)} % | \`${module}\` |\n`,
  )
process.stdout.write(`\ntotal sampled: ${(total / 2 ** 20).toFixed(0)} MB\n`)
