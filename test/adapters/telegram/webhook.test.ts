import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Duration, Effect, Redacted } from "effect"
import { serveHttp } from "../../../src/adapters/http/server.ts"
import { makeMemoryUpdateJournal } from "../../../src/adapters/memory/memory-update-journal.ts"
import { makeUpdateScheduler } from "../../../src/adapters/telegram/scheduler.ts"
import {
  SECRET_HEADER,
  sameSecret,
  webhookPath,
  webhookRoute,
  webhookSecret,
  webhookUrl,
} from "../../../src/adapters/telegram/webhook.ts"
import { UpdateJournal } from "../../../src/application/ports/update-journal.ts"

const token = Redacted.make("123456:SECRET-PART-of-the-token")

describe("webhook", () => {
  it("derives a path and a secret from the token without showing it", () => {
    const path = webhookPath(token)
    assert.match(path, /^\/telegram\/[0-9a-f]{40}$/)
    assert.ok(!path.includes("SECRET"))
    assert.equal(webhookUrl("https://bot.example.org/", token), `https://bot.example.org${path}`)
    assert.equal(webhookUrl("https://example.org/base", token), `https://example.org/base${path}`)
    const secret = Redacted.value(webhookSecret(token))
    assert.match(secret, /^[A-Za-z0-9_-]{20,256}$/, "a secret_token Telegram accepts")
    assert.ok(!secret.includes("SECRET"))
    assert.notEqual(webhookPath(Redacted.make("1:other")), path)
    assert.equal(sameSecret(secret, webhookSecret(token)), true)
    assert.equal(sameSecret(`${secret}x`, webhookSecret(token)), false)
    assert.equal(sameSecret(undefined, webhookSecret(token)), false)
  })

  it("takes only updates with the right secret, refuses large bodies, and 503 once closed", async () => {
    const journal = makeMemoryUpdateJournal()
    const handled: Array<number> = []
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const scheduler = yield* makeUpdateScheduler({ maxInFlight: 4 })
          const toJob = (raw: unknown) =>
            typeof raw === "object" && raw !== null && "update_id" in raw && typeof raw.update_id === "number"
              ? {
                  id: raw.update_id,
                  key: 1,
                  work: Effect.sync(() => void handled.push(raw.update_id as number)),
                }
              : undefined
          const { port } = yield* serveHttp({
            port: 0,
            host: "127.0.0.1",
            routes: [webhookRoute({ base: "https://bot.example.org", token, scheduler, toJob })],
          })
          const url = `http://127.0.0.1:${port}${webhookPath(token)}`
          const secret = Redacted.value(webhookSecret(token))
          const post = (body: string, headers: Record<string, string> = { [SECRET_HEADER]: secret }) =>
            Effect.promise(() =>
              fetch(url, {
                method: "POST",
                headers: { "content-type": "application/json", ...headers },
                body,
              }).then((response) => response.status),
            )
          assert.equal(yield* post(JSON.stringify({ update_id: 1 }), {}), 401)
          assert.equal(yield* post(JSON.stringify({ update_id: 1 }), { [SECRET_HEADER]: "guess" }), 401)
          assert.equal(yield* post("x".repeat(300 * 1024)), 413)
          assert.equal(yield* post("{not json"), 400)
          assert.equal(yield* post(JSON.stringify({ nothing: 1 })), 400)
          assert.equal(yield* post(JSON.stringify({ update_id: 1 })), 200)
          assert.equal(yield* post(JSON.stringify({ update_id: 1 })), 200, "a repeat is acknowledged")
          const other = yield* Effect.promise(() =>
            fetch(`http://127.0.0.1:${port}/telegram/wrong`, { method: "POST", body: "{}" }),
          )
          assert.equal(other.status, 404)
          yield* scheduler.close(Duration.seconds(1))
          assert.equal(yield* post(JSON.stringify({ update_id: 2 })), 503)
        }),
      ).pipe(Effect.provideService(UpdateJournal, journal.service)),
    )
    assert.deepEqual(handled, [1])
  })
})
