/**
 * `npm run build [-- --outdir DIR]`: the production bundle the Docker image runs (default `dist/`).
 *
 * `src/main.ts` and `src/import.ts` with everything they import (effect, undici, tslog, prom-client,
 * postgres), each as one ES module: node then loads two files instead of ~670 modules, and strips no
 * types. Ready ~0.5 s sooner and ~18 MB smaller when idle (bench/RESULTS.md). Not minified: a stack trace
 * names our functions, and the bundle marks each source file with a `// src/…` comment. No source map:
 * `--enable-source-maps` would cost 0.5 s and 60 MB at start.
 *
 * The files the code reads beside itself at run time (`import.meta.dirname`) are copied next to the
 * bundle: the PostgreSQL migrations, the charts' font and resvg's wasm. The playground is not in the bundle.
 */
import { cp, mkdir, rm } from "node:fs/promises"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"
import { build, type Metafile, type Plugin } from "esbuild"

const ROOT = resolve(import.meta.dirname, "..")

/**
 * The playground is a development tool (`npm start` without a token, from a checkout): launch.ts imports it only
 * when there is no token, and the image's bundle leaves it out — its import is a module that refuses, and the
 * bundled bot without a token says so and exits.
 */
const withoutPlayground: Plugin = {
  name: "without-playground",
  setup: (build) => {
    // a module that only refuses, so that the bundle never loads the sources' playground (from a checkout)
    build.onResolve({ filter: /^\.\.\/playground\/playground\.ts$/ }, (args) => ({
      path: args.path,
      namespace: "without-playground",
    }))
    build.onLoad({ filter: /.*/, namespace: "without-playground" }, () => ({
      contents: 'throw new Error("the playground is not part of the bundle")',
      loader: "js",
    }))
  },
}

/** Files read at run time from `import.meta.dirname`, as [source, name beside the bundle]. */
export const ASSETS: ReadonlyArray<readonly [string, string]> = [
  ["src/adapters/postgres/migrations", "migrations"],
  ["node_modules/vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf", "fonts/Vazirmatn-Regular.ttf"],
  ["node_modules/@resvg/resvg-wasm/index_bg.wasm", "resvg.wasm"],
]

/** The bot, the import tool, and the chart renderer's worker thread (started by the bot on the first chart). */
export const ENTRY_POINTS = {
  main: "src/main.ts",
  import: "src/import.ts",
  charts: "src/adapters/charts/render-worker.ts",
} as const

/**
 * Builds into `outdir` (emptied first); answers esbuild's account of what went in and what stayed out.
 * `entryPoints` (name → source) default to the bot's; the bench bundles its storage worker the same way.
 */
export const buildBundle = async (
  outdir: string,
  entryPoints: Readonly<Record<string, string>> = ENTRY_POINTS,
): Promise<Metafile> => {
  await rm(outdir, { recursive: true, force: true })
  await mkdir(outdir, { recursive: true })
  const { metafile } = await build({
    metafile: true,
    absWorkingDir: ROOT,
    entryPoints: { ...entryPoints },
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: false,
    platform: "node",
    format: "esm",
    target: "node24",
    // CommonJS packages bundled into an ES module still call require() for node's built-ins
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
    // vega-canvas looks for node-canvas and does without it: the bundle needs no native package
    alias: { canvas: "./scripts/empty-module.ts" },
    plugins: [withoutPlayground],
    logLevel: "warning",
  })
  for (const [source, name] of ASSETS) await cp(join(ROOT, source), join(outdir, name), { recursive: true })
  return metafile
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { outdir: { type: "string", default: join(ROOT, "dist") } } })
  const started = performance.now()
  await buildBundle(resolve(values.outdir))
  process.stdout.write(`built ${values.outdir} in ${Math.round(performance.now() - started)} ms\n`)
}
