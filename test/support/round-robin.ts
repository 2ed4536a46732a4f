import { createServer, type IncomingMessage } from "node:http"

export type RoundRobin = {
  readonly url: string
  /** Requests each replica accepted (2xx), by index. */
  readonly accepted: Array<number>
  /** Attempts that failed (a dead replica, or 503) and were tried on the next replica. */
  readonly retries: () => number
  /** Updates taken from the sender and not yet accepted by any replica. */
  readonly pending: () => number
  readonly close: () => Promise<void>
}

const read = async (request: IncomingMessage) => {
  const chunks: Array<Buffer> = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/**
 * A load balancer in front of several replicas' webhooks, as a platform puts one: each POST is taken at
 * once, then sent to the next replica in turn; a replica that is down (or answers 503) is skipped and the
 * update goes to the next, until one accepts it — as Telegram retries until a webhook answers 200.
 */
export const startRoundRobin = async (
  replicas: () => ReadonlyArray<string | undefined>,
): Promise<RoundRobin> => {
  let turn = 0
  let retries = 0
  let pending = 0
  const accepted: Array<number> = []
  const forward = async (path: string, headers: Record<string, string>, body: Buffer) => {
    pending += 1
    for (let attempt = 0; ; attempt++) {
      const targets = replicas()
      const index = turn++ % targets.length
      const origin = targets[index]
      if (origin !== undefined) {
        try {
          const response = await fetch(`${origin}${path}`, { method: "POST", headers, body })
          await response.arrayBuffer()
          if (response.ok) {
            accepted[index] = (accepted[index] ?? 0) + 1
            pending -= 1
            return
          }
        } catch {
          // connection refused or reset: that replica is gone
        }
        retries += 1
      }
      if (attempt % targets.length === targets.length - 1) await new Promise((done) => setTimeout(done, 50))
    }
  }
  const server = createServer(async (request, response) => {
    const body = await read(request)
    const headers: Record<string, string> = { "content-type": "application/json" }
    const secret = request.headers["x-telegram-bot-api-secret-token"]
    if (typeof secret === "string") headers["x-telegram-bot-api-secret-token"] = secret
    response.writeHead(200).end("ok")
    void forward(request.url ?? "/", headers, body)
  })
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done))
  const address = server.address()
  if (typeof address !== "object" || address === null) throw new Error("no address")
  return {
    url: `http://127.0.0.1:${address.port}`,
    accepted,
    retries: () => retries,
    pending: () => pending,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}
