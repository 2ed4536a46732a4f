import { execFileSync } from "node:child_process"
import { closeSync, openSync, writeSync } from "node:fs"
import { temporaryDirectory } from "./bot-process.ts"

/** Mounts a tmpfs of `megabytes` at a new directory (root only); else the reason it cannot be had. */
export const mountTmpfs = async (megabytes: number): Promise<{ path: string } | { skip: string }> => {
  if (process.getuid?.() !== 0) return { skip: "mounting a tmpfs needs root (the tests run as a user)" }
  const target = await temporaryDirectory("tmpfs-")
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${megabytes}m`, "tmpfs", target], { stdio: "ignore" })
    return { path: target }
  } catch (error) {
    return { skip: `mount is not available here (${String(error).split("\n")[0]})` }
  }
}

export const unmount = (path: string) => execFileSync("umount", [path], { stdio: "ignore" })

/** Writes zeros into `path` until the file system says ENOSPC; answers the bytes written. */
export const fillUp = (path: string): number => {
  const fd = openSync(path, "w")
  let written = 0
  try {
    for (let chunk = 1024 * 1024; chunk >= 512; ) {
      try {
        written += writeSync(fd, Buffer.alloc(chunk))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error
        chunk /= 2
      }
    }
  } finally {
    closeSync(fd)
  }
  return written
}
