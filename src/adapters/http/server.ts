import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect, Runtime } from "effect"

export type HttpRequest = {
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

export type HttpResponse = {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body: string | Buffer
}

/** One route; features (health, webhook, metrics, playground) each bring their own. */
export type Route<R = never> = {
  readonly method: "GET" | "POST"
  /** Exact path, or a predicate for paths with parameters. */
  readonly path: string | ((path: string) => boolean)
  /** Bodies larger than this get 413 before the handler runs. */
  readonly maxBodyBytes?: number
  readonly handle: (request: HttpRequest) => Effect.Effect<HttpResponse, never, R>
}

export const text = (status: number, body: string): HttpResponse => ({
  status,
  headers: { "content-type": "text/plain; charset=utf-8" },
  body,
})

export const json = (status: number, value: unknown): HttpResponse => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8" },
  body: JSON.stringify(value),
})

const DEFAULT_MAX_BODY = 1024 * 1024

/** What a refused body may still send, read and dropped, before the connection is cut: bytes, and time. */
const DRAIN_MAX_BYTES = 8 * 1024 * 1024
const DRAIN_MS = 5000

/**
 * A client gets HEADERS_TIMEOUT_MS for its headers and REQUEST_TIMEOUT_MS for the whole request (Node's
 * defaults are 60 s and 300 s, checked every 30 s: sockets that drip a byte every few seconds stayed ~85 s).
 * Connections are checked every CHECK_INTERVAL_MS, so a half-open one is closed within ~17 s. A response may
 * take longer (the playground's long poll): these limits are on receiving the request only.
 */
export const HEADERS_TIMEOUT_MS = 10_000
export const REQUEST_TIMEOUT_MS = 15_000
const CHECK_INTERVAL_MS = 2_000

const matches = (route: Route<unknown>, method: string, path: string) =>
  route.method === method && (typeof route.path === "string" ? route.path === path : route.path(path))

/**
 * A plain node:http server over a route table, alive for as long as the scope. `GET /` always
 * answers 200: hosting platforms use it as the health check.
 */
export const serveHttp = <R>(options: {
  readonly port: number
  readonly host?: string
  readonly routes: ReadonlyArray<Route<R>>
}) =>
  Effect.gen(function* () {
    const runtime = yield* Effect.runtime<R>()
    const run = Runtime.runPromise(runtime)
    const routes: ReadonlyArray<Route<R>> = [
      ...options.routes,
      { method: "GET", path: "/", handle: () => Effect.succeed(text(200, "ok")) },
    ]
    const server = createServer(
      {
        headersTimeout: HEADERS_TIMEOUT_MS,
        requestTimeout: REQUEST_TIMEOUT_MS,
        connectionsCheckingInterval: CHECK_INTERVAL_MS,
      },
      (request, response) => {
        const path = (request.url ?? "/").split("?")[0] ?? "/"
        const method = request.method ?? "GET"
        const route = routes.find((candidate) => matches(candidate as Route<unknown>, method, path))
        if (route === undefined) {
          response.writeHead(404, { "content-type": "text/plain" }).end("not found")
          request.resume()
          return
        }
        const limit = route.maxBodyBytes ?? DEFAULT_MAX_BODY
        const chunks: Array<Buffer> = []
        let size = 0
        let refused = false
        // 413 before reading a body that says it is too large. The rest of it is read and dropped (up to
        // DRAIN_MAX_BYTES, for DRAIN_MS at most) so that the client, still sending, reads the 413 rather
        // than a reset; past that the connection is cut.
        const refuse = () => {
          refused = true
          response
            .writeHead(413, { "content-type": "text/plain", connection: "close" })
            .end("payload too large")
          const cut = setTimeout(() => request.destroy(), DRAIN_MS)
          request.once("close", () => clearTimeout(cut))
        }
        if (Number(request.headers["content-length"] ?? 0) > limit) refuse()
        request.on("data", (chunk: Buffer) => {
          size += chunk.length
          if (refused) {
            if (size > DRAIN_MAX_BYTES) request.destroy()
          } else if (size > limit) refuse()
          else chunks.push(chunk)
        })
        request.on("end", () => {
          if (refused) return
          const body = Buffer.concat(chunks)
          run(route.handle({ method, path, headers: request.headers, body })).then(
            (reply) => response.writeHead(reply.status, reply.headers).end(reply.body),
            () => response.writeHead(500, { "content-type": "text/plain" }).end("internal error"),
          )
        })
      },
    )
    yield* Effect.acquireRelease(
      Effect.async<void, Error>((resume) => {
        server.once("error", (error) => resume(Effect.fail(error)))
        server.listen(options.port, options.host ?? "0.0.0.0", () => resume(Effect.void))
      }),
      () =>
        Effect.async<void>((resume) => {
          server.close(() => resume(Effect.void))
          server.closeAllConnections()
        }),
    )
    return { port: (server.address() as AddressInfo).port }
  })
