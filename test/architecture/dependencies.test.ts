import assert from "node:assert/strict"
import { readdir, readFile } from "node:fs/promises"
import { dirname, join, relative, resolve } from "node:path"
import { describe, it } from "node:test"

const SRC = resolve(import.meta.dirname, "../../src")

/** Layer of a source file: the rank an import may only go down from (or stay level with). */
const layerOf = (file: string): { name: string; rank: number } => {
  const path = relative(SRC, file)
  if (path.startsWith("domain/")) return { name: "domain", rank: 0 }
  if (path.startsWith("application/")) return { name: "application", rank: 1 }
  if (path.startsWith("adapters/")) return { name: "adapters", rank: 2 }
  return { name: "composition", rank: 3 }
}

const sourceFiles = async (dir: string): Promise<Array<string>> => {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? sourceFiles(join(dir, entry.name))
        : Promise.resolve(entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []),
    ),
  )
  return nested.flat()
}

const importsOf = (code: string): Array<string> =>
  [
    ...code.matchAll(
      /(?:import|export)\s[^"']*?from\s+["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)/g,
    ),
  ].map((match) => match[1] ?? match[2] ?? "")

describe("architecture", () => {
  it("points every dependency inwards: adapters → application → domain", async () => {
    const outward: Array<string> = []
    for (const file of await sourceFiles(SRC)) {
      const from = layerOf(file)
      for (const specifier of importsOf(await readFile(file, "utf8"))) {
        if (!specifier.startsWith(".")) continue
        const target = resolve(dirname(file), specifier)
        if (!target.startsWith(SRC)) continue
        const to = layerOf(target)
        if (to.rank > from.rank) outward.push(`${relative(SRC, file)} → ${relative(SRC, target)}`)
      }
    }
    assert.deepEqual(outward, [])
  })

  it("keeps the playground, a development tool, out of the production source: only launch.ts imports it, lazily", async () => {
    const PLAYGROUND = resolve(SRC, "../playground")
    const found: Array<string> = []
    for (const file of await sourceFiles(SRC)) {
      const code = await readFile(file, "utf8")
      for (const specifier of importsOf(code))
        if (specifier.startsWith(".") && resolve(dirname(file), specifier).startsWith(PLAYGROUND))
          found.push(`${relative(SRC, file)} → ${specifier}`)
    }
    assert.deepEqual(found, ["launch.ts → ../playground/playground.ts"])
    assert.match(
      await readFile(join(SRC, "launch.ts"), "utf8"),
      /await import\("\.\.\/playground\/playground\.ts"\)/,
    )
  })

  it("keeps the domain free of I/O and of Effect services", async () => {
    const offending: Array<string> = []
    for (const file of await sourceFiles(join(SRC, "domain"))) {
      const code = await readFile(file, "utf8")
      for (const specifier of importsOf(code)) {
        if (specifier.startsWith("node:") || specifier === "undici" || specifier === "tslog") {
          offending.push(`${relative(SRC, file)} imports ${specifier}`)
        }
      }
      if (/\bnew Date\(\)|Date\.now\(\)|Math\.random\(\)|Context\.Tag/.test(code))
        offending.push(`${relative(SRC, file)} reads the clock, chance or services`)
    }
    assert.deepEqual(offending, [])
  })

  it("has no import cycle between folders", async () => {
    // folder → folders it imports from (its own files left out)
    const graph = new Map<string, Set<string>>()
    for (const file of await sourceFiles(SRC)) {
      const from = relative(SRC, dirname(file))
      for (const specifier of importsOf(await readFile(file, "utf8"))) {
        if (!specifier.startsWith(".")) continue
        const target = resolve(dirname(file), specifier)
        if (!target.startsWith(SRC)) continue
        const to = relative(SRC, dirname(target))
        if (to !== from) graph.set(from, (graph.get(from) ?? new Set()).add(to))
      }
    }
    // a cycle is a folder reachable from itself
    const cycles: Array<string> = []
    for (const start of graph.keys()) {
      const path: Array<string> = []
      const visit = (folder: string, seen: Set<string>): boolean => {
        for (const next of graph.get(folder) ?? []) {
          if (next === start) {
            cycles.push([start, ...path, start].join(" → "))
            return true
          }
          if (seen.has(next)) continue
          seen.add(next)
          path.push(next)
          if (visit(next, seen)) return true
          path.pop()
        }
        return false
      }
      visit(start, new Set([start]))
    }
    assert.deepEqual(cycles, [])
  })

  it("keeps each storage technology to itself: files, PostgreSQL and memory import none of each other", async () => {
    // adapters/import is the bridge (files → PostgreSQL); what both need lives in adapters/common
    const technologies = ["adapters/files", "adapters/postgres", "adapters/memory"]
    const crossing: Array<string> = []
    for (const file of await sourceFiles(SRC)) {
      const from = technologies.find((folder) => relative(SRC, file).startsWith(`${folder}/`))
      if (from === undefined) continue
      for (const specifier of importsOf(await readFile(file, "utf8"))) {
        if (!specifier.startsWith(".")) continue
        const target = relative(SRC, resolve(dirname(file), specifier))
        const to = technologies.find((folder) => target.startsWith(`${folder}/`))
        if (to !== undefined && to !== from) crossing.push(`${relative(SRC, file)} → ${target}`)
      }
    }
    assert.deepEqual(crossing, [])
  })

  it("names relative imports with their .ts file", async () => {
    const missing: Array<string> = []
    for (const file of await sourceFiles(SRC)) {
      for (const specifier of importsOf(await readFile(file, "utf8"))) {
        if (specifier.startsWith(".") && !/\.(ts|json)$/.test(specifier))
          missing.push(`${relative(SRC, file)}: ${specifier}`)
      }
    }
    assert.deepEqual(missing, [])
  })
})
