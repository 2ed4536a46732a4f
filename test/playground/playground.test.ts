import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect, Layer, Option, Redacted, Schema } from "effect"
import {
  Playground,
  PlaygroundBotApi,
  PlaygroundLive,
  PRETEND_CARD_NUMBER,
  playgroundServer,
  playgroundSettings,
} from "../../playground/playground.ts"
import { BotApi } from "../../src/adapters/telegram/bot-api.ts"
import { temporaryDirectory } from "../support/bot-process.ts"

const settings = {
  botToken: Option.none<Redacted.Redacted<string>>(),
  adminIds: [] as ReadonlyArray<number>,
  forcePolling: false,
  usersDir: "users",
  paymentCardNumber: Option.none<Redacted.Redacted<string>>(),
  paymentPayeeName: "",
}

describe("the playground's composition", () => {
  it("without a token: long polling, a pretend admin and card when ADMIN_USER_IDS and the card are empty", () => {
    const pretend = playgroundSettings(settings)
    assert.equal(pretend.forcePolling, true)
    assert.deepEqual(pretend.adminIds, [1000])
    assert.equal(
      Option.map(pretend.paymentCardNumber, Redacted.value).pipe(Option.getOrNull),
      PRETEND_CARD_NUMBER,
    )
    assert.equal(pretend.paymentPayeeName, "نمونهٔ آزمایشی")
    assert.deepEqual(playgroundSettings({ ...settings, adminIds: [5] }).adminIds, [5])
    const card = Option.some(Redacted.make("6037990000001234"))
    assert.equal(playgroundSettings({ ...settings, paymentCardNumber: card }).paymentCardNumber, card)
  })

  it("with a token: the settings as they are", () => {
    const real = { ...settings, botToken: Option.some(Redacted.make("1:x")) }
    assert.equal(playgroundSettings(real), real)
  })

  it("adds no routes to the server when it is not running", async () => {
    assert.deepEqual(await Effect.runPromise(playgroundServer), { routes: [] })
  })

  it("points the bot's real Bot API client at the emulator, serves the page on loopback, and stops it", async () => {
    const usersDir = await temporaryDirectory("playground-users-")
    const live = PlaygroundLive({ adminIds: [1000], usersDir })
    const { url, me, server } = await Effect.runPromise(
      Effect.gen(function* () {
        const api = yield* BotApi
        const { emulator } = yield* Playground
        return {
          url: emulator.url,
          me: yield* api.call("getMe", {}, Schema.Struct({ username: Schema.String })),
          server: yield* playgroundServer,
        }
      }).pipe(Effect.provide(Layer.merge(PlaygroundBotApi.pipe(Layer.provide(live)), live))),
    )
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.equal(me.username, "ostad_hatami_playground_bot")
    assert.equal(server.host, "127.0.0.1")
    assert.ok(server.routes.some((route) => route.path === "/playground"))
    await assert.rejects(fetch(`${url}/bot123456:TEST-TOKEN/getMe`), "the emulator is closed with the layer")
  })
})
