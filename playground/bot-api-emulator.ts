import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { type BotApi, type BotApiOptions, createBotApi, type Outcome } from "./emulator-core.ts"
import { readPlainParams } from "./emulator-params.ts"

export type { BotApi, BotApiOptions, CallbackUpdate, MessageUpdate } from "./emulator-core.ts"
export { createBotApi } from "./emulator-core.ts"
export type { BotCommand } from "./emulator-methods.ts"
export type * from "./emulator-types.ts"

export type EmulatorOptions = BotApiOptions & {
  /** 0 (default) picks a free port. */
  readonly port?: number
  readonly host?: string
}

/** The Bot API emulator behind a real HTTP server, for a bot that talks HTTP (undici) to `url`. */
export type BotApiEmulator = Omit<BotApi, "close"> & {
  /** The TELEGRAM_API_ROOT for the bot, e.g. "http://127.0.0.1:43210". */
  readonly url: string
  /** Releases held long polls, stops webhook delivery, then closes the server and every connection. */
  readonly close: () => Promise<void>
}

const toRequest = async (
  incoming: IncomingMessage,
  origin: string,
  signal: AbortSignal,
): Promise<Request> => {
  const chunks: Array<Buffer> = []
  for await (const chunk of incoming) chunks.push(chunk as Buffer)
  const method = incoming.method ?? "GET"
  const contentType = incoming.headers["content-type"]
  return new Request(new URL(incoming.url ?? "/", origin), {
    method,
    headers: contentType === undefined ? {} : { "content-type": contentType },
    ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
    signal,
  })
}

export const startBotApiEmulator = async (options: EmulatorOptions = {}): Promise<BotApiEmulator> => {
  const api = createBotApi(options)
  const host = options.host ?? "127.0.0.1"
  const inFlight = new Set<Promise<void>>()
  let origin = ""

  const readBody = async (incoming: IncomingMessage): Promise<string> => {
    const chunks: Array<Buffer> = []
    for await (const chunk of incoming) chunks.push(chunk as Buffer)
    return chunks.length === 1 ? (chunks[0] as Buffer).toString() : Buffer.concat(chunks).toString()
  }

  /** A Bot API call without files: parsed and answered here, without web Request and Response objects. */
  const serveCall = async (incoming: IncomingMessage, outgoing: ServerResponse, signal: AbortSignal) => {
    const target = incoming.url ?? "/"
    const query = target.indexOf("?")
    const method = incoming.method ?? "GET"
    const body = method === "GET" || method === "HEAD" ? "" : await readBody(incoming)
    const outcome: Outcome | undefined = await api.serveCall(
      query < 0 ? target : target.slice(0, query),
      () =>
        readPlainParams(
          query < 0 ? "" : target.slice(query),
          method,
          incoming.headers["content-type"] ?? "",
          body,
        ),
      signal,
    )
    if (outcome === undefined) {
      incoming.socket.destroy()
      return
    }
    const payload = Buffer.from(JSON.stringify(outcome.envelope))
    outgoing.writeHead(outcome.status, {
      "content-type": "application/json",
      "content-length": payload.byteLength,
    })
    // resolves once written, so that close() does not cut an answer (a released long poll) short
    await new Promise<void>((done) => outgoing.end(payload, done))
  }

  const serve = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const abandoned = new AbortController()
    // the client gave up (e.g. a long poll it no longer wants): let the emulator forget the request
    outgoing.on("close", () => {
      if (!outgoing.writableFinished) abandoned.abort()
    })
    try {
      const plain =
        !incoming.url?.startsWith("/file/") &&
        !(incoming.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/")
      if (plain) return await serveCall(incoming, outgoing, abandoned.signal)
      const response = await api.handle(await toRequest(incoming, origin, abandoned.signal))
      if (response.type === "error") {
        incoming.socket.destroy()
        return
      }
      const body = Buffer.from(await response.arrayBuffer())
      outgoing.writeHead(response.status, {
        "content-type": response.headers.get("content-type") ?? "application/json",
        "content-length": body.byteLength,
      })
      await new Promise<void>((done) => outgoing.end(body, done))
    } catch (error) {
      if (!outgoing.headersSent) {
        outgoing.writeHead(500, { "content-type": "application/json" })
        outgoing.end(
          JSON.stringify({ ok: false, error_code: 500, description: `Internal Server Error: ${error}` }),
        )
      }
    }
  }

  const server = createServer((incoming, outgoing) => {
    const done: Promise<void> = serve(incoming, outgoing).finally(() => inFlight.delete(done))
    inFlight.add(done)
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`

  let closed: Promise<void> | undefined
  const close = () => {
    closed ??= (async () => {
      api.close()
      // let released long polls and cut-short delays write their answers before the sockets go
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => setTimeout(resolve, 250)),
      ])
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    })()
    return closed
  }

  return { ...api, url: origin, close }
}
