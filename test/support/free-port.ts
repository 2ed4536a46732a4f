import { createServer } from "node:net"

/** A port free on 127.0.0.1 right now (another process may take it before it is used: callers retry). */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()))
    })
  })
