import { readFileSync } from "node:fs"

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100

export type ProcessSample = {
  /** Resident set size now, in bytes. */
  readonly rss: number
  /** Highest resident set size since the process started (VmHWM), in bytes. */
  readonly peakRss: number
  /** User + system CPU time since the process started, in seconds. */
  readonly cpuSeconds: number
}

const kilobytes = (status: string, field: string): number => {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)
  return Number(match?.[1] ?? 0) * 1024
}

/** Reads a live process's memory and CPU from /proc (Linux); undefined once it is gone. */
export const sampleProcess = (pid: number): ProcessSample | undefined => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8")
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    // fields after the command name, which is in parentheses and may hold spaces
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    const ticks = Number(fields[11]) + Number(fields[12])
    return {
      rss: kilobytes(status, "VmRSS"),
      peakRss: kilobytes(status, "VmHWM"),
      cpuSeconds: ticks / TICKS_PER_SECOND,
    }
  } catch {
    return undefined
  }
}
