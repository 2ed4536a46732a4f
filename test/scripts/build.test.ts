import assert from "node:assert/strict"
import { execFile, spawn } from "node:child_process"
import { readdir, readFile } from "node:fs/promises"
import { isBuiltin } from "node:module"
import { join, resolve } from "node:path"
import { before, describe, it } from "node:test"
import { promisify } from "node:util"
import type { Metafile } from "esbuild"
import postgres from "postgres"
import { ASSETS, buildBundle, ENTRY_POINTS } from "../../scripts/build.ts"
import { temporaryDirectory } from "../support/bot-process.ts"
import { freshDatabase } from "../support/postgres-server.ts"

const ROOT = resolve(import.meta.dirname, "../..")

describe("npm run build: the bundle the Docker image runs", () => {
  /** In the temporary directory, with no node_modules anywhere above it. */
  let dist: string
  let metafile: Metafile

  before(async () => {
    dist = join(await temporaryDirectory("bundle-"), "dist")
    metafile = await buildBundle(dist)
  })

  it("holds one module per entry point and the files read beside it, and imports only node's built-ins", async () => {
    const files = await readdir(dist)
    for (const name of Object.keys(ENTRY_POINTS)) assert.ok(files.includes(`${name}.mjs`), `${name}.mjs`)
    for (const [source, name] of ASSETS) {
      const original = join(ROOT, source)
      const copied = join(dist, name)
      if (name === "migrations") assert.deepEqual(await readdir(copied), await readdir(original))
      else assert.deepEqual(await readFile(copied), await readFile(original))
    }
    const outputs = Object.entries(metafile.outputs).filter(([file]) => file.endsWith(".mjs"))
    assert.equal(outputs.length, Object.keys(ENTRY_POINTS).length)
    for (const [file, output] of outputs) {
      // what esbuild left out of the bundle, to be found at run time
      const external = output.imports.filter((entry) => entry.external).map((entry) => entry.path)
      assert.ok(
        external.some((path) => path.startsWith("node:")),
        `${file}: esbuild reports what stays outside`,
      )
      assert.deepEqual(
        external.filter((path) => !isBuiltin(path)),
        [],
        `${file} needs no node_modules`,
      )
    }
  })

  it("knows every source file that reads files beside itself: their files are ASSETS", async () => {
    const readers: Array<string> = []
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(join(ROOT, dir), { withFileTypes: true })) {
        const path = `${dir}/${entry.name}`
        if (entry.isDirectory()) await walk(path)
        else if (
          path.endsWith(".ts") &&
          /import\.meta\.(dirname|filename|url)/.test(await readFile(join(ROOT, path), "utf8"))
        )
          readers.push(path)
      }
    }
    await walk("src")
    // In the bundle import.meta is dist/main.mjs's: a new reader needs its files in ASSETS (scripts/build.ts)
    assert.deepEqual(readers.sort(), [
      "src/adapters/charts/vega-renderer.ts",
      "src/adapters/postgres/migrations.ts",
    ])
    assert.deepEqual(ASSETS.map(([source]) => source).sort(), [
      "node_modules/@resvg/resvg-wasm/index_bg.wasm",
      "node_modules/vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf",
      "src/adapters/postgres/migrations",
    ])
  })

  it("leaves the playground out: the bundled bot without a token says it needs one, and exits", async () => {
    const main = await readFile(join(dist, "main.mjs"), "utf8")
    assert.ok(!main.includes("// playground/"), "no playground module in main.mjs")
    const users = await temporaryDirectory("bundle-users-")
    const child = spawn(process.execPath, [join(dist, "main.mjs")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", PORT: "0", USERS_DIR: users, LOG_DIR: users },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    assert.equal(await new Promise((done) => child.once("exit", done)), 1, output)
    assert.match(output, /BOT_TOKEN is not set, and this build has no playground/)
  })

  it("runs the import tool from the bundle: it migrates the database with the copied migrations", async () => {
    const url = await freshDatabase()
    const users = await temporaryDirectory("bundle-import-")
    const { stdout } = await promisify(execFile)(process.execPath, [join(dist, "import.mjs"), users], {
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: url },
    })
    assert.match(stdout, /Imported/)
    const sql = postgres(url, { onnotice: () => {} })
    try {
      const applied = await sql`select name from schema_migrations order by version`
      const expected = (await readdir(join(ROOT, "src/adapters/postgres/migrations")))
        .filter((file) => file.endsWith(".sql"))
        .sort()
        .map((file) => file.replace(/\.sql$/, ""))
      assert.deepEqual(
        applied.map((row) => row.name),
        expected,
      )
    } finally {
      await sql.end()
    }
  })
})
