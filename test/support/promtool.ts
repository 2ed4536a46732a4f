import { spawnSync } from "node:child_process"

/**
 * `promtool check metrics` over an exposition: exit 0 only for a valid, lint-clean text format.
 * promtool comes with the Debian package `prometheus`; .ci/run installs it when it is missing.
 */
export const promtoolCheck = (exposition: string): { readonly ok: boolean; readonly output: string } => {
  const run = spawnSync("promtool", ["check", "metrics"], { input: exposition, encoding: "utf8" })
  if (run.error !== undefined)
    throw new Error(`promtool could not run (${run.error.message}): apt-get install prometheus`)
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` }
}

/** The value of one sample line, e.g. sample(text, 'bot_errors_total{type="Defect"}'). */
export const sample = (exposition: string, series: string): number | undefined => {
  const line = exposition.split("\n").find((candidate) => candidate.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}
