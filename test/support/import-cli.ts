import { execFile } from "node:child_process"
import { resolve } from "node:path"
import { promisify } from "node:util"

const IMPORT = resolve(import.meta.dirname, "../../src/import.ts")

/** Runs `npm run import -- …` (src/import.ts) as a real process against `databaseUrl`. */
export const runImport = async (databaseUrl: string, ...args: Array<string>) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [IMPORT, ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE ?? "",
        DATABASE_URL: databaseUrl,
      },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}
