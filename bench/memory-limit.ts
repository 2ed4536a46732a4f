import { existsSync } from "node:fs"
import { mkdir, readFile, rmdir, writeFile } from "node:fs/promises"
import { join } from "node:path"

/** A container's memory limit for a process the bench starts: a cgroup of its own (Linux, as root). */
export type MemoryLimit = {
  /** The command to spawn instead of `command args…`: a shell that joins the cgroup, then execs it. */
  readonly wrap: (command: string, args: ReadonlyArray<string>) => { command: string; args: Array<string> }
  /** Removes the cgroup (once the process is gone). */
  readonly remove: () => Promise<void>
}

/** "256M", "1G", "300000000" → bytes; undefined when it is none of these. */
export const parseBytes = (text: string): number | undefined => {
  const match = /^(\d+)([KMG]?)$/i.exec(text.trim())
  if (match === null) return undefined
  const unit = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 }[(match[2] ?? "").toUpperCase()] ?? 1
  return Number(match[1]) * unit
}

const V1 = "/sys/fs/cgroup/memory"
const V2 = "/sys/fs/cgroup"

/**
 * Makes a cgroup limited to `bytes`, as `docker run --memory` or a Kubernetes limit would: the kernel caps
 * the process there, and Node sizes V8's heap from that limit. Uses the cgroup v1 memory controller, or
 * cgroup v2 where the memory controller is enabled at the root; fails with the reason otherwise.
 */
export const makeMemoryLimit = async (bytes: number, name: string): Promise<MemoryLimit> => {
  const v2 = existsSync(join(V2, "cgroup.controllers"))
    ? (await readFile(join(V2, "cgroup.subtree_control"), "utf8")).split(/\s+/).includes("memory")
    : false
  const [root, limitFile] = v2 ? [V2, "memory.max"] : [V1, "memory.limit_in_bytes"]
  if (!v2 && !existsSync(join(V1, limitFile)))
    throw new Error("--memory-limit needs a cgroup memory controller (v1, or v2 enabled at the root)")
  const group = join(root, name)
  try {
    await mkdir(group, { recursive: true })
    await writeFile(join(group, limitFile), String(bytes))
  } catch (error) {
    throw new Error(`--memory-limit: cannot set up ${group} (run as root): ${String(error)}`)
  }
  return {
    wrap: (command, args) => ({
      command: "/bin/sh",
      args: ["-c", `echo $$ > '${join(group, "cgroup.procs")}' && exec "$0" "$@"`, command, ...args],
    }),
    remove: () => rmdir(group).catch(() => undefined),
  }
}
