import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect } from "effect"
import { json, serveHttp } from "../../../src/adapters/http/server.ts"

describe("http server", () => {
  it("serves routes, answers GET / with 200, 404 for the unknown and 413 for large bodies", async () => {
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const { port } = yield* serveHttp({
            port: 0,
            host: "127.0.0.1",
            routes: [
              {
                method: "POST",
                path: "/echo",
                maxBodyBytes: 16,
                handle: (request) => Effect.succeed(json(200, { got: request.body.toString() })),
              },
            ],
          })
          const base = `http://127.0.0.1:${port}`
          const root = yield* Effect.promise(() => fetch(`${base}/`))
          assert.equal(root.status, 200)
          const echo = yield* Effect.promise(() =>
            fetch(`${base}/echo`, { method: "POST", body: "hi" }).then((r) => r.json()),
          )
          assert.deepEqual(echo, { got: "hi" })
          const missing = yield* Effect.promise(() => fetch(`${base}/nope`))
          assert.equal(missing.status, 404)
          const large = yield* Effect.promise(() =>
            fetch(`${base}/echo`, { method: "POST", body: "x".repeat(1000) }).then(
              (r) => r.status,
              () => 413,
            ),
          )
          assert.equal(large, 413)
        }),
      ),
    )
  })
})
