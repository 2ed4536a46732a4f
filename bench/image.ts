import { createHash } from "node:crypto"
import { readdir, readFile, rename } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { buildBundle } from "../scripts/build.ts"
import { envOf, execForm, imageInstructions, last } from "../scripts/dockerfile.ts"

/**
 * The Docker image as the bench runs our bot, read from the Dockerfile once: its CMD (`node <flags> <entry>`,
 * so the same node flags and entry point; when the entry is the bundle, `dist/main.mjs`, the bench builds it
 * first) and its ENV (e.g. GLIBC_TUNABLES, which changes how much memory the process keeps; the bench sets
 * its own directories, port and compile cache over it).
 */
export const IMAGE: {
  readonly flags: ReadonlyArray<string>
  readonly entry: string
  readonly env: Readonly<Record<string, string>>
} = (() => {
  const instructions = imageInstructions()
  const args = execForm(last(instructions, "CMD"))
  return {
    flags: args.filter((arg) => arg.startsWith("--")),
    entry: args.at(-1) ?? "src/main.ts",
    env: envOf(instructions),
  }
})()

/**
 * Bundles `entryPoints` as the image's build does, into a directory named after the bundle's content
 * (node's compile cache is keyed by path, and the image's path never changes either). Answers it.
 */
export const keptBundle = async (
  work: string,
  entryPoints?: Readonly<Record<string, string>>,
): Promise<string> => {
  const built = join(work, "dist")
  await buildBundle(built, entryPoints)
  const hash = createHash("sha256")
  for (const file of (await readdir(built)).sort())
    if (file.endsWith(".mjs")) hash.update(await readFile(join(built, file)))
  const kept = join(tmpdir(), `ostad-bench-bundle-${hash.digest("hex").slice(0, 16)}`)
  await rename(built, kept).catch((error: NodeJS.ErrnoException) => {
    // built before (ENOTEMPTY/EEXIST): the same content is already there
    if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error
  })
  return kept
}
