import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

/**
 * Where a line of a bundle comes from: esbuild marks the start of each module with a `// path` comment, so a
 * profile's `main.mjs:55122` reads as `node_modules/effect/dist/esm/internal/fiberRuntime.js`.
 */
export const bundleModules = () => {
  const starts = new Map<string, ReadonlyArray<readonly [number, string]>>()
  const of = (url: string): ReadonlyArray<readonly [number, string]> => {
    const known = starts.get(url)
    if (known !== undefined) return known
    const marks: Array<readonly [number, string]> = []
    try {
      const lines = readFileSync(fileURLToPath(url), "utf8").split("\n")
      for (const [index, line] of lines.entries())
        if (/^\/\/ (src|node_modules|scripts|data)\//.test(line)) marks.push([index + 1, line.slice(3)])
    } catch {
      // not a file we can read: no names
    }
    starts.set(url, marks)
    return marks
  }
  /** The module a 1-based line of `url` belongs to, or the url itself when it is not a bundle. */
  return (url: string, line: number): string => {
    if (!url.endsWith(".mjs")) return url.replace(/^.*\/(node_modules|src)\//, "$1/")
    let found = url.replace(/^.*\//, "")
    for (const [start, name] of of(url)) {
      if (start > line) break
      found = name
    }
    return found
  }
}
