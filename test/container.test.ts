import assert from "node:assert/strict"
import { execFileSync, spawn } from "node:child_process"
import { chmod, chown, cp, mkdir, readdir, readFile, stat } from "node:fs/promises"
import { dirname, join, resolve } from "node:path"
import { after, before, describe, it } from "node:test"
import { type BotApiEmulator, startBotApiEmulator } from "../playground/bot-api-emulator.ts"
import {
  all,
  envOf,
  execForm,
  type Instruction,
  last,
  readDockerfile,
  type Stage,
  stagesOf,
} from "../scripts/dockerfile.ts"
import { type BotProcess, temporaryDirectory } from "./support/bot-process.ts"
import { freePort } from "./support/free-port.ts"

/**
 * The production image without Docker (this machine has no daemon): the Dockerfile is read, its build stage
 * is run (the build script, with this checkout's dev dependencies), the final stage's files are laid out as
 * `docker build` would, with no node_modules anywhere above them, and its CMD runs with its ENV as a
 * non-root user, as `docker run` would. scripts/docker-smoke.sh builds and runs the real image where a
 * daemon exists.
 */

const ROOT = resolve(import.meta.dirname, "..")
const VOLUME = "/data"

/** Whether .dockerignore leaves `path` out of the build context: its rules in order, the last match wins. */
const readDockerignore = async () => {
  const rules = (await readFile(join(ROOT, ".dockerignore"), "utf8"))
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
  return (path: string) => ignoredBy(rules, path)
}
const ignoredBy = (rules: ReadonlyArray<string>, path: string) => {
  let ignored = false
  for (const rule of rules) {
    const negated = rule.startsWith("!")
    const pattern = rule.replace(/^!/, "").replace(/\/$/, "")
    if (pattern === "*" || path === pattern || path.startsWith(`${pattern}/`)) ignored = !negated
  }
  return ignored
}

/** The image's unprivileged user; created here (as in the base image) when the machine lacks it. */
const runUser = (name: string): { uid: number; gid: number } | undefined => {
  if (process.getuid?.() !== 0) return undefined // already not root: run as ourselves
  const id = (flag: string) => Number(execFileSync("id", [flag, name], { encoding: "utf8" }).trim())
  try {
    return { uid: id("-u"), gid: id("-g") }
  } catch {
    execFileSync("useradd", [
      "--system",
      "--user-group",
      "--no-create-home",
      "--shell",
      "/usr/sbin/nologin",
      name,
    ])
    return { uid: id("-u"), gid: id("-g") }
  }
}

describe("the container image, without Docker", () => {
  let stages: ReadonlyArray<Stage>
  /** The final stage's: the image that runs. */
  let instructions: ReadonlyArray<Instruction>
  let image: string
  let app: string
  /** The image's node (the base image's /usr/local/bin/node): this Node 24, copied in. */
  let node: string
  let env: Record<string, string>
  let user: { uid: number; gid: number } | undefined
  let emulator: BotApiEmulator
  let bot: BotProcess & { readonly pid: number }
  let port: number

  /** Runs an exec-form command of the image (its "node" is this Node 24) as the image's user. */
  const run = (command: ReadonlyArray<string>, extraEnv: Record<string, string>) => {
    assert.equal(command[0], "node", `${JSON.stringify(command)} starts node itself`)
    const child = spawn(node, command.slice(1), {
      cwd: app,
      env: { PATH: `${dirname(node)}:/usr/local/bin:/usr/bin:/bin`, ...env, ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
      ...(user === undefined ? {} : { uid: user.uid, gid: user.gid }),
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)))
    return {
      child,
      pid: child.pid ?? 0,
      output: () => output,
      exited,
      stop: (signal: NodeJS.Signals = "SIGTERM") => {
        child.kill(signal)
        return exited
      },
      kill: async () => {
        child.kill("SIGKILL")
        await exited
      },
    }
  }

  const waitForOutput = async (pattern: RegExp) => {
    await emulator
      .waitFor(() => pattern.test(bot.output()), 15_000)
      .catch(() => {
        throw new Error(`no ${pattern} in the output:\n${bot.output()}`)
      })
  }

  before(async () => {
    stages = stagesOf(readDockerfile())
    const final = stages.at(-1)
    assert.ok(final !== undefined, "the Dockerfile has a FROM")
    instructions = final.instructions
    const workdir = last(instructions, "WORKDIR")
    image = await temporaryDirectory("image-")
    await chmod(image, 0o755)
    app = join(image, workdir)
    await mkdir(app, { recursive: true })

    const ignored = await readDockerignore()
    // The build stage: what it copies must be in the context; its last RUN, the build script, is run here
    // with this checkout's dev dependencies, into the stage's WORKDIR
    const built = new Map<string, string>()
    for (const stage of stages.slice(0, -1)) {
      for (const args of all(stage.instructions, "COPY"))
        for (const source of args.split(/\s+/).slice(0, -1))
          assert.ok(!ignored(source), `${source} is copied but .dockerignore leaves it out of the context`)
      const build = last(stage.instructions, "RUN")
      assert.equal(build, "node scripts/build.ts", `the ${stage.name} stage ends by building the bundle`)
      const root = await temporaryDirectory(`stage-${stage.name}-`)
      const outdir = join(root, last(stage.instructions, "WORKDIR"), "dist")
      execFileSync(process.execPath, [join(ROOT, "scripts", "build.ts"), "--outdir", outdir], {
        stdio: "pipe",
      })
      built.set(stage.name, root)
    }

    // COPY: the files `docker build` copies, from the context (which .dockerignore must let them into) or
    // from a build stage
    for (const args of all(instructions, "COPY")) {
      const from = /--from=(\S+)/.exec(args)?.[1]
      const parts = args.split(/\s+/).filter((part) => !part.startsWith("--"))
      const target = join(app, parts.at(-1) ?? ".")
      for (const source of parts.slice(0, -1)) {
        if (from !== undefined) {
          const stage = built.get(from)
          assert.ok(stage !== undefined, `COPY --from=${from} names a build stage`)
          await cp(join(stage, source), target, { recursive: true })
          continue
        }
        assert.ok(!ignored(source), `${source} is copied but .dockerignore leaves it out of the context`)
        await cp(join(ROOT, source), parts.length > 2 ? join(target, source) : target, { recursive: true })
      }
    }

    // FROM node:24-…-slim: Node in the image itself, so that nothing runs from the checkout (which may be
    // private to its owner, as in a `mktemp -d` clone, and so unreadable by the image's user), and no
    // node_modules: the bundle holds the packages it uses
    node = join(image, "usr", "local", "bin", "node")
    await mkdir(dirname(node), { recursive: true })
    await cp(process.execPath, node)

    // the volume, owned by the image's user (RUN mkdir … && chown -R node:node /data)
    user = runUser(last(instructions, "USER"))
    env = Object.fromEntries(
      Object.entries(envOf(instructions)).map(([key, value]) => [
        key,
        value.startsWith(`${VOLUME}/`) ? join(image, value) : value,
      ]),
    )
    for (const dir of [env.USERS_DIR ?? "", env.LOG_DIR ?? ""]) {
      await mkdir(dir, { recursive: true })
      if (user !== undefined) {
        await chown(dir, user.uid, user.gid)
        await chown(dirname(dir), user.uid, user.gid)
      }
    }

    emulator = await startBotApiEmulator()
    port = await freePort()
    // docker run -e BOT_TOKEN=… -e TELEGRAM_API_ROOT=… -e PORT=…
    bot = run(execForm(last(instructions, "CMD")), {
      BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.url,
      PORT: String(port),
    })
    await waitForOutput(/polling for updates/)
  })

  after(async () => {
    if (bot.child.exitCode === null) await bot.kill()
    await emulator?.close()
  })

  it("is built on Node 24 slim in two stages: the image holds the bundle, no packages, a small build context", async () => {
    for (const stage of stages) assert.match(stage.base, /^node:24[\w.-]*-slim$|^node:24[\w.-]*slim\b/)
    assert.ok(stages.length >= 2, "a build stage, then the image")
    assert.deepEqual(
      all(instructions, "RUN").filter((args) => /\bnpm\b/.test(args)),
      [],
      "no npm install in the image: the bundle holds what it uses",
    )
    assert.deepEqual(await readdir(app), ["data", "dist"])
    const lock = JSON.parse(await readFile(join(ROOT, "package-lock.json"), "utf8"))
    for (const dev of ["node", "playwright-core", "typescript", "c8", "esbuild"]) {
      assert.equal(lock.packages[`node_modules/${dev}`]?.dev, true, `${dev} is a dev dependency`)
    }
    const ignored = await readDockerignore()
    for (const path of [".git", "node_modules", "users", "logs", "coverage", ".env", "test"]) {
      assert.ok(ignored(path), `${path} stays out of the build context`)
    }
  })

  it("runs node directly as the main process, as a non-root user, with data and logs on the volume", async () => {
    const cmd = execForm(last(instructions, "CMD"))
    assert.equal(cmd[0], "node")
    assert.equal(cmd.at(-1), "dist/main.mjs")
    assert.ok(
      cmd.slice(1, -1).every((arg) => arg.startsWith("--")),
      "only node flags between node and dist/main.mjs",
    )
    assert.equal(all(instructions, "ENTRYPOINT").length, 0, "no wrapper in front of node")
    assert.ok(!["", "root", "0"].includes(last(instructions, "USER")), "USER is not root")
    assert.match(last(instructions, "VOLUME"), new RegExp(`"${VOLUME}"`))
    assert.equal(env.NODE_ENV, "production")
    assert.match(envOf(instructions).USERS_DIR ?? "", new RegExp(`^${VOLUME}/`))
    assert.match(envOf(instructions).LOG_DIR ?? "", new RegExp(`^${VOLUME}/`))

    const status = await readFile(`/proc/${bot.pid}/status`, "utf8")
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1])
    assert.notEqual(uid, 0, "the bot does not run as root")
    const log = await stat(join(env.LOG_DIR ?? "", "bot.log"))
    assert.equal(log.uid, uid, "logs are written by the bot's user")
  })

  it("answers the HEALTHCHECK (run as the image runs it), /readyz, and students", async () => {
    const healthcheck = last(instructions, "HEALTHCHECK")
    assert.match(healthcheck, /\/healthz/)
    const probe = run(execForm(healthcheck), { PORT: String(port) })
    assert.equal(await probe.exited, 0, probe.output())
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
    assert.equal(ready.status, 200, "USERS_DIR is writable by the bot's user")

    emulator.sendText({ id: 5101, first_name: "Ali" }, "/start")
    await emulator.waitFor(
      () => /نام خود را به فارسی/.test(emulator.lastMessage(5101)?.plainText ?? ""),
      10_000,
    )
  })

  it("stops with exit code 0 on SIGTERM, after which the healthcheck fails", async () => {
    assert.equal(await bot.stop("SIGTERM"), 0, bot.output())
    const probe = run(execForm(last(instructions, "HEALTHCHECK")), { PORT: String(port) })
    assert.equal(await probe.exited, 1)
  })

  it("refuses to start in production without BOT_TOKEN, instead of opening the playground", async () => {
    const orphan = run(execForm(last(instructions, "CMD")), { PORT: "0" })
    assert.equal(await orphan.exited, 1)
    assert.match(orphan.output(), /BOT_TOKEN is not set/)
    assert.doesNotMatch(orphan.output(), /playground —/)
  })
})
