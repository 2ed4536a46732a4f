import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { ConfigProvider, Effect, Either, Option, Redacted } from "effect"
import { AppConfig, describeConfigError, webhookAddress } from "../src/config.ts"

const load = (env: Record<string, string>) =>
  Effect.runSync(
    Effect.either(
      AppConfig.pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))),
    ),
  )

describe("config", () => {
  it("has the documented defaults", () => {
    const config = Either.getOrThrow(load({}))
    assert.ok(Option.isNone(config.botToken))
    assert.equal(config.apiRoot, "https://api.telegram.org")
    assert.equal(config.maxRequestsPerMinute, 10)
    assert.equal(config.cacheTtlSeconds, 300)
    assert.equal(config.cleanupIntervalSeconds, 300)
    assert.equal(config.usersDir, "users")
    assert.equal(config.logLevel, "INFO")
    assert.equal(config.port, 8080)
    assert.deepEqual(config.adminIds, [])
    assert.ok(Option.isNone(webhookAddress(config)))
  })

  it("reads every variable", () => {
    const config = Either.getOrThrow(
      load({
        BOT_TOKEN: "123456:ABC-def",
        TELEGRAM_API_ROOT: "http://127.0.0.1:9000",
        ADMIN_USER_IDS: "1,2,3",
        PAYMENT_CARD_NUMBER: "6037-9911-1111-2222",
        LOG_LEVEL: "warning",
        RAILWAY_PUBLIC_DOMAIN: "bot.up.railway.app",
        PORT: "3000",
      }),
    )
    assert.equal(Redacted.value(Option.getOrThrow(config.botToken)), "123456:ABC-def")
    assert.deepEqual(config.adminIds, [1, 2, 3])
    assert.equal(Redacted.value(Option.getOrThrow(config.paymentCardNumber)), "6037991111112222")
    assert.equal(config.logLevel, "WARNING")
    assert.equal(Option.getOrThrow(webhookAddress(config)), "https://bot.up.railway.app")
    assert.ok(!String(config.botToken).includes("ABC"), "the token is redacted when printed")
  })

  it("prefers WEBHOOK_URL and honours FORCE_POLLING", () => {
    const both = { WEBHOOK_URL: "https://example.org/hook", RAILWAY_PUBLIC_DOMAIN: "x.up.railway.app" }
    assert.equal(Option.getOrThrow(webhookAddress(Either.getOrThrow(load(both)))), "https://example.org/hook")
    assert.ok(Option.isNone(webhookAddress(Either.getOrThrow(load({ ...both, FORCE_POLLING: "true" })))))
  })

  it("takes an http webhook only from a bot that talks to its own Bot API server", () => {
    const publicApi = load({ WEBHOOK_URL: "http://127.0.0.1:8443/telegram/webhook" })
    assert.ok(Either.isLeft(publicApi))
    assert.match(
      describeConfigError(publicApi.left),
      /WEBHOOK_URL: must start with https:\/\/.*over https only/,
    )
    const local = load({
      WEBHOOK_URL: "http://127.0.0.1:8443/telegram/webhook",
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081",
    })
    assert.equal(
      Option.getOrThrow(webhookAddress(Either.getOrThrow(local))),
      "http://127.0.0.1:8443/telegram/webhook",
    )
  })

  it("names each bad variable and the reason", () => {
    const result = load({
      MAX_REQUESTS_PER_MINUTE: "ten",
      PORT: "70000",
      BOT_TOKEN: "nope",
      WEBHOOK_URL: "ftp://x",
    })
    assert.ok(Either.isLeft(result))
    const text = describeConfigError(result.left)
    for (const name of ["MAX_REQUESTS_PER_MINUTE", "PORT", "BOT_TOKEN", "WEBHOOK_URL"])
      assert.match(text, new RegExp(name))
    assert.ok(!text.includes("nope"), "the bad token is not echoed")
  })
})

describe("storage config", () => {
  it("keeps files by default and selects PostgreSQL with STORAGE=postgres and DATABASE_URL", () => {
    assert.deepEqual(Either.getOrThrow(load({})).storage, { kind: "files" })
    const storage = Either.getOrThrow(
      load({
        STORAGE: "Postgres",
        DATABASE_URL: "postgres://bot:secret@db:5432/bot",
        DATABASE_POOL_SIZE: "4",
      }),
    ).storage
    assert.equal(storage.kind, "postgres")
    assert.ok(storage.kind === "postgres")
    assert.equal(Redacted.value(storage.url), "postgres://bot:secret@db:5432/bot")
    assert.equal(storage.poolSize, 4)
    assert.ok(!String(storage.url).includes("secret"), "the password is redacted when printed")
  })

  it("names DATABASE_URL when it is missing or malformed, and STORAGE when it is unknown", () => {
    const message = (env: Record<string, string>) => {
      const result = load(env)
      assert.ok(Either.isLeft(result))
      return describeConfigError(result.left)
    }
    assert.match(message({ STORAGE: "postgres" }), /DATABASE_URL: is required when STORAGE=postgres/)
    assert.match(message({ STORAGE: "postgres", DATABASE_URL: "mysql://x" }), /DATABASE_URL: must be a URL/)
    assert.match(message({ STORAGE: "sqlite" }), /STORAGE: must be files or postgres/)
    assert.match(
      message({ STORAGE: "postgres", DATABASE_URL: "postgres://h/db", DATABASE_POOL_SIZE: "0" }),
      /DATABASE_POOL_SIZE/,
    )
  })
})
