import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect, Redacted, Schema } from "effect"
import { type BotApiEmulator, startBotApiEmulator } from "../../../playground/bot-api-emulator.ts"
import { makeBotApi } from "../../../src/adapters/telegram/resilient-bot-api.ts"

const withClient = async <A>(
  use: (
    api: Effect.Effect.Success<ReturnType<typeof makeBotApi>>,
    emulator: BotApiEmulator,
  ) => Effect.Effect<A, unknown>,
  requestTimeout?: number,
) => {
  const emulator = await startBotApiEmulator()
  try {
    return await Effect.runPromise(
      Effect.scoped(
        Effect.flatMap(
          makeBotApi({
            token: Redacted.make(emulator.token),
            apiRoot: emulator.url,
            ...(requestTimeout === undefined ? {} : { requestTimeout }),
          }),
          (api) => use(api, emulator),
        ),
      ),
    )
  } finally {
    await emulator.close()
  }
}

const student = { id: 9101, first_name: "S" }
const other = { id: 9102, first_name: "O" }

describe("Bot API client", () => {
  it("gives up on a call that takes too long, and tries again", () =>
    withClient(
      (api, emulator) =>
        Effect.gen(function* () {
          emulator.registerUser(student)
          emulator.injectFault({ kind: "delay", ms: 1500, method: "getMe" })
          yield* api.call("getMe", {}, Schema.Unknown)
          // answered by a later attempt, while the first is still held up
          assert.deepEqual(
            emulator.callsTo("getMe").map((call) => [call.status, call.fault]),
            [[200, undefined]],
          )
          assert.equal(emulator.pendingFaults(), 0, "the slow attempt was the first")
        }),
      0.3,
    ))

  it("holds one chat after its 429 while another chat's call goes through", () =>
    withClient((api, emulator) =>
      Effect.gen(function* () {
        emulator.registerUser(student)
        emulator.registerUser(other)
        emulator.injectFault({ kind: "429", retryAfter: 1, method: "sendMessage" })
        const send = (chat: number, text: string) =>
          api.call("sendMessage", { chat_id: chat, text }, Schema.Unknown)
        const limited = yield* Effect.fork(send(student.id, "first"))
        // once the refusal is in, the other chat goes first although it asked later
        yield* Effect.promise(() => emulator.waitFor(() => emulator.callsTo("sendMessage").length === 1))
        yield* send(other.id, "second")
        yield* limited.await
        assert.deepEqual(
          emulator.callsTo("sendMessage").map((call) => [call.params.chat_id, call.status]),
          [
            [student.id, 429],
            [other.id, 200],
            [student.id, 200],
          ],
        )
      }),
    ))

  it("does not retry a refusal, and makes an atMostOnce call only once on a 5xx", () =>
    withClient((api, emulator) =>
      Effect.gen(function* () {
        emulator.injectFault({ kind: "400", description: "bad", method: "getMe" })
        const refused = yield* Effect.flip(api.call("getMe", {}, Schema.Unknown))
        assert.equal(refused._tag === "BotApiError" && refused.code, 400)
        emulator.injectFault({ kind: "500", method: "getMe" })
        const failed = yield* Effect.flip(api.call("getMe", {}, Schema.Unknown, { atMostOnce: true }))
        assert.equal(failed._tag === "BotApiError" && failed.code, 500)
        assert.equal(emulator.callsTo("getMe").length, 2)
      }),
    ))

  it("retries a 429 five times in a row at most, and server trouble after growing pauses", () =>
    withClient((api, emulator) =>
      Effect.gen(function* () {
        emulator.injectFault({ kind: "429", retryAfter: 0, method: "getMe", times: 6 })
        const limited = yield* Effect.flip(api.call("getMe", {}, Schema.Unknown))
        assert.equal(limited._tag === "BotApiError" && limited.code, 429)
        assert.equal(emulator.callsTo("getMe").length, 6, "the call and five retries")

        emulator.injectFault({ kind: "500", method: "getMe", times: 2 })
        const started = Date.now()
        yield* api.call("getMe", {}, Schema.Unknown)
        assert.deepEqual(
          emulator
            .callsTo("getMe")
            .slice(6)
            .map((call) => call.status),
          [500, 500, 200],
        )
        // 250 ms then 500 ms, each ×0.8–1.2
        assert.ok(Date.now() - started >= 600, "the retries waited")

        emulator.injectFault({ kind: "429", retryAfter: 0, method: "getMe", times: 5 })
        emulator.injectFault({ kind: "502", method: "getMe", times: 1 })
        emulator.injectFault({ kind: "429", retryAfter: 0, method: "getMe", times: 5 })
        yield* api.call("getMe", {}, Schema.Unknown)
        assert.equal(emulator.callsTo("getMe").length, 9 + 12, "server trouble starts the 429 count anew")
      }),
    ))
})
