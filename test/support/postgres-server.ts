import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { chown, mkdtemp, rm } from "node:fs/promises"
import type { Socket } from "node:net"
import { tmpdir } from "node:os"
import { delimiter, join } from "node:path"
import postgres from "postgres"
import { freePort } from "./free-port.ts"

/**
 * A throwaway PostgreSQL server for tests: initdb into a temporary directory, a postmaster on 127.0.0.1
 * with durability switched off (fsync, synchronous commit), removed afterwards. `npm test` starts one for
 * all test files (test/support/postgres-global-setup.ts) and passes its address in TEST_POSTGRES_URL; a
 * test file run on its own starts its own. Each test asks for a fresh database on it.
 */
export type PostgresServer = {
  /** Connection URL of the server's `postgres` database, as superuser `postgres` (trust, no password). */
  readonly url: string
  readonly stop: () => Promise<void>
}

/** initdb and postgres: on PATH, else in Debian's versioned /usr/lib/postgresql/N/bin. */
export const findPostgresBinaries = (): { initdb: string; postgres: string } | undefined => {
  const debian = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql")
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => join("/usr/lib/postgresql", version, "bin"))
    : []
  const directories = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...debian]
  const directory = directories.find(
    (dir) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres")),
  )
  return directory === undefined
    ? undefined
    : { initdb: join(directory, "initdb"), postgres: join(directory, "postgres") }
}

/** initdb and postgres refuse to run as root: then they run as the `postgres` user, or `nobody`. */
const unprivilegedUser = (): { uid: number; gid: number } | undefined => {
  if (process.getuid?.() !== 0) return undefined
  const entries = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .map((line) => line.split(":"))
  const entry = entries.find((fields) => fields[0] === "postgres") ??
    entries.find((fields) => fields[0] === "nobody") ?? ["nobody", "x", "65534", "65534"]
  return { uid: Number(entry[2]), gid: Number(entry[3]) }
}

const run = (command: string, args: ReadonlyArray<string>, user: { uid: number; gid: number } | undefined) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], ...user })
    let errors = ""
    child.stderr.on("data", (chunk: Buffer) => {
      errors += chunk.toString()
    })
    child.once("error", reject)
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${errors}`)),
    )
  })

const startPostmaster = (
  binary: string,
  data: string,
  socketDir: string,
  port: number,
  user: { uid: number; gid: number } | undefined,
) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const settings = {
      fsync: "off",
      synchronous_commit: "off",
      full_page_writes: "off",
      max_connections: "200",
      listen_addresses: "127.0.0.1",
      unix_socket_directories: socketDir,
      port: String(port),
    }
    const args = [
      "-D",
      data,
      ...Object.entries(settings).flatMap(([key, value]) => ["-c", `${key}=${value}`]),
    ]
    const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"], ...user })
    let log = ""
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      if (log.includes("ready to accept connections")) {
        child.stderr?.off("data", onData)
        // Keep draining the log so that the server never blocks on a full pipe, without keeping us alive.
        child.stderr?.resume()
        ;(child.stderr as Socket | null)?.unref()
        resolve(child)
      }
    }
    child.stderr?.on("data", onData)
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`postgres exited ${code} before it was ready:\n${log}`)))
  })

export const startPostgresServer = async (): Promise<PostgresServer> => {
  const binaries = findPostgresBinaries()
  if (binaries === undefined)
    throw new Error(
      "PostgreSQL is not installed: initdb and postgres were looked for on PATH and in " +
        "/usr/lib/postgresql/*/bin (Debian: apt-get install postgresql; .ci/run does it)",
    )
  const root = await mkdtemp(join(tmpdir(), "pg-test-"))
  const user = unprivilegedUser()
  if (user !== undefined) await chown(root, user.uid, user.gid)
  const data = join(root, "data")
  await run(
    binaries.initdb,
    ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "-N"],
    user,
  )
  let postmaster: ChildProcess | undefined
  let port = 0
  for (let attempt = 1; postmaster === undefined; attempt++) {
    port = await freePort()
    try {
      postmaster = await startPostmaster(binaries.postgres, data, root, port, user)
    } catch (error) {
      // Another process may have taken the port between freePort() and the bind: try another.
      if (attempt >= 3) throw error
    }
  }
  const child = postmaster
  child.unref()
  const removeNow = () => {
    // Immediate shutdown; a detached shell removes the files once the server has gone, after we have.
    child.kill("SIGQUIT")
    spawn("sh", ["-c", `while kill -0 ${child.pid} 2>/dev/null; do sleep 0.1; done; rm -rf '${root}'`], {
      detached: true,
      stdio: "ignore",
    }).unref()
  }
  // Whatever happens to this process, the server and its files do not outlive it.
  process.once("exit", removeNow)
  let stopped: Promise<void> | undefined
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      stopped ??= (async () => {
        process.off("exit", removeNow)
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((done) => child.once("exit", done))
          child.ref()
          child.kill("SIGINT") // fast shutdown: ends sessions, no checkpoint wait beyond what is needed
          await exited
        }
        await rm(root, { recursive: true, force: true, maxRetries: 3 })
      })()
      return stopped
    },
  }
}

let ownServer: Promise<PostgresServer> | undefined

/** The shared server's URL (from the global setup), or one started for this test process alone. */
const serverUrl = async (): Promise<string> => {
  const shared = process.env.TEST_POSTGRES_URL
  if (shared !== undefined && shared !== "") return shared
  ownServer ??= startPostgresServer().then((server) => {
    process.once("beforeExit", () => void server.stop())
    return server
  })
  return (await ownServer).url
}

let processDatabase: Promise<string> | undefined
let schemas = 0

const admins = new Map<string, postgres.Sql>()

// One connection per database for creating databases and schemas; it closes itself when idle.
const withAdmin = async (url: string, statement: string) => {
  const admin = admins.get(url) ?? postgres(url, { max: 1, idle_timeout: 1, onnotice: () => undefined })
  admins.set(url, admin)
  await admin.unsafe(statement)
}

/**
 * A URL whose tables start empty: a new schema, made the search_path, in this test process's own
 * database (a schema costs a millisecond, a database a few hundred).
 */
export const freshDatabase = async (): Promise<string> => {
  processDatabase ??= serverUrl().then(async (url) => {
    const name = `test_${process.pid}_${Date.now().toString(36)}`
    await withAdmin(url, `create database "${name}"`)
    const database = new URL(url)
    database.pathname = `/${name}`
    return database.toString()
  })
  const url = await processDatabase
  schemas += 1
  const schema = `s${schemas}`
  await withAdmin(url, `create schema "${schema}"`)
  const scoped = new URL(url)
  scoped.searchParams.set("search_path", schema)
  return scoped.toString()
}

/**
 * The same database through the server's Unix socket (libpq's `?host=` with the socket's directory), or
 * undefined when the socket is not found: a server of startPostgresServer listens in its own temporary folder.
 */
export const overUnixSocket = (url: string): string | undefined => {
  const parsed = new URL(url)
  const dir = readdirSync(tmpdir())
    .map((name) => join(tmpdir(), name))
    .find((path) => path.includes("pg-test-") && existsSync(join(path, `.s.PGSQL.${parsed.port}`)))
  if (dir === undefined) return undefined
  parsed.searchParams.set("host", dir)
  return parsed.toString()
}
