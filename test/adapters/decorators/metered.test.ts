import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Effect, Exit, Layer, Schema } from "effect"
import { MeteredBotApi } from "../../../src/adapters/decorators/metered.ts"
import { Metrics, makeMetrics } from "../../../src/adapters/metrics/metrics.ts"
import { BotApi, BotApiError, BotApiUnreachable } from "../../../src/adapters/telegram/bot-api.ts"
import { StorageError } from "../../../src/application/ports/storage-error.ts"
import { StudentRepository } from "../../../src/application/ports/student-repository.ts"
import { temporaryDirectory } from "../../support/bot-process.ts"
import { observedBots, registerQuickly } from "../../support/observed-bot.ts"
import { promtoolCheck, sample } from "../../support/promtool.ts"

/** The sum of the samples whose line matches `series`. */
const sumOf = (exposition: string, series: RegExp) =>
  exposition
    .split("\n")
    .filter((line) => series.test(line))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0)

const failingRepository = (find: StudentRepository["Type"]["find"]) =>
  Layer.succeed(StudentRepository, { find, save: () => Effect.void })

describe("metered decorators", () => {
  const make = observedBots()

  it("counts real handled updates by kind, outcome and use case, in an exposition promtool accepts", async () => {
    const logDir = await temporaryDirectory("metered-logs-")
    const bot = make({ logDir })
    await registerQuickly(bot, 8001, () => bot.advance(300))
    await bot.say(8002, "/start")
    await bot.say(8002, "/whatever")

    const { body, contentType } = await bot.exposition()
    assert.match(contentType, /^text\/plain; version=0\.0\.4/)
    const check = promtoolCheck(body)
    assert.ok(check.ok, check.output)

    assert.equal(sample(body, 'bot_updates_received_total{kind="Button"}'), 8)
    assert.equal(sample(body, 'bot_updates_received_total{kind="Command"}'), 3)
    assert.equal(sample(body, 'bot_updates_received_total{kind="Text"}'), 2)
    assert.equal(sample(body, 'bot_updates_received_total{kind="Contact"}'), 1)
    assert.equal(sample(body, 'bot_updates_handled_total{kind="Button",outcome="ok"}'), 8)
    assert.equal(sample(body, 'bot_update_duration_seconds_count{kind="Button",outcome="ok"}'), 8)
    assert.equal(
      sample(body, 'bot_use_case_duration_seconds_count{use_case="Registration.confirm",outcome="ok"}'),
      1,
    )
    assert.equal(
      sample(body, 'bot_use_case_duration_seconds_count{use_case="Registration.start",outcome="ok"}'),
      2,
    )
    assert.equal(sample(body, 'bot_active_students{window="5m"}'), 2)
    assert.equal(sample(body, 'bot_active_students{window="1h"}'), 2)

    // the use cases around a whole update are not timed again by name; Bot.route is (its outcome: the router's)
    assert.doesNotMatch(body, /use_case="Bot\.(update|handle)"/)
    assert.equal(sample(body, 'bot_use_case_duration_seconds_count{use_case="Bot.route",outcome="ok"}'), 14)
    // the handled counter is read from the duration histogram; what the bot observed is counted by the bot
    assert.equal(sumOf(body, /^bot_updates_handled_total\{/), 14)
    assert.equal(
      sample(body, "bot_metric_observations_total"),
      sumOf(body, /^bot_\w+_count[{ ]/) + sumOf(body, /^bot_updates_received_total\{/),
    )

    await bot.advance(6 * 60_000)
    const later = (await bot.exposition()).body
    assert.equal(sample(later, 'bot_active_students{window="5m"}'), 0)
    assert.equal(sample(later, 'bot_active_students{window="1h"}'), 2)

    // quick updates get no line of their own in performance.log: the summary counts them by use case
    const summary = await bot.summarize()
    await new Promise((resolve) => setImmediate(resolve)) // performance.log writes a turn's lines after it
    const lines = (await readFile(join(logDir, "performance.log"), "utf8")).trim().split("\n")
    assert.deepEqual(
      lines.map((line) => JSON.parse(line).event),
      ["summary"],
    )
    assert.equal(summary.requests, 14)
    assert.equal(summary.useCases["Registration.start"]?.count, 2)
    assert.equal(summary.useCases["Registration.answer"]?.count, 11)
    assert.equal(summary.useCases["Bot.route"]?.count, 1, "a command the router answers itself")
  })

  it("counts an unexpected failure by its type, and the update as an error", async () => {
    const storageDown = make({
      override: failingRepository(() => Effect.fail(new StorageError({ operation: "find", detail: "EIO" }))),
    })
    await storageDown.say(8101, "/start")
    await storageDown.say(8101, "/start")
    const defect = make({
      override: failingRepository(() =>
        Effect.sync(() => {
          throw new TypeError("a bug")
        }),
      ),
    })
    await defect.say(8102, "سلام")

    const storage = (await storageDown.exposition()).body
    assert.equal(sample(storage, 'bot_errors_total{type="StorageError"}'), 2)
    assert.equal(sample(storage, 'bot_updates_handled_total{kind="Command",outcome="error"}'), 2)
    assert.equal(
      sample(storage, 'bot_use_case_duration_seconds_count{use_case="Bot.route",outcome="error"}'),
      2,
    )
    const bug = (await defect.exposition()).body
    assert.equal(sample(bug, 'bot_errors_total{type="Defect"}'), 1)
    assert.ok(promtoolCheck(bug).ok)

    const summary = await storageDown.summarize()
    assert.equal(summary.requests, 2)
    assert.equal(summary.errors, 2)
    assert.deepEqual(summary.errorsByType, { StorageError: 2 })
  })

  it("measures Bot API calls by method and outcome, Telegram's last answer and the polling lag", async () => {
    const metrics = makeMetrics()
    const nowSeconds = Math.floor(Date.now() / 1000)
    const answers: Record<string, Effect.Effect<unknown, BotApiError | BotApiUnreachable>> = {
      getUpdates: Effect.succeed([
        { update_id: 1, message: { message_id: 1, date: nowSeconds - 30, chat: { id: 1, type: "private" } } },
        { update_id: 2, callback_query: { id: "q", from: { id: 1 } } },
        { update_id: 3, edited_message: {} },
      ]),
      sendMessage: Effect.fail(
        new BotApiError({ method: "sendMessage", code: 403, description: "Forbidden: bot was blocked" }),
      ),
      getMe: Effect.fail(new BotApiUnreachable({ method: "getMe", detail: "ECONNREFUSED" })),
      getChat: Effect.fail(new BotApiError({ method: "getChat", code: 502, description: "Bad Gateway" })),
    }
    const fake = Layer.succeed(BotApi, {
      call: (method) => (answers[method] ?? Effect.succeed(true)) as never,
    })
    const api = await Effect.runPromise(
      Effect.provide(
        BotApi,
        MeteredBotApi.pipe(Layer.provide(fake), Layer.provide(Layer.succeed(Metrics, metrics))),
      ),
    )
    assert.equal(metrics.lastBotApiAnswer(), undefined)
    await Effect.runPromise(api.call("getMe", {}, Schema.Unknown).pipe(Effect.exit))
    await Effect.runPromise(api.call("getChat", {}, Schema.Unknown).pipe(Effect.exit))
    assert.equal(metrics.lastBotApiAnswer(), undefined, "no answer, or a proxy's 502, is not an answer")
    await Effect.runPromise(api.call("getUpdates", {}, Schema.Unknown))
    const refused = await Effect.runPromise(api.call("sendMessage", {}, Schema.Unknown).pipe(Effect.exit))
    assert.ok(Exit.isFailure(refused), "the failure passes through unchanged")
    await Effect.runPromise(api.call("deleteWebhook", {}, Schema.Unknown))

    const { body } = await Effect.runPromise(metrics.exposition)
    assert.ok(promtoolCheck(body).ok)
    assert.equal(sample(body, 'bot_api_calls_total{method="getUpdates",outcome="ok"}'), 1)
    assert.equal(sample(body, 'bot_api_calls_total{method="sendMessage",outcome="error_403"}'), 1)
    assert.equal(sample(body, 'bot_api_calls_total{method="getMe",outcome="unreachable"}'), 1)
    assert.equal(sample(body, 'bot_api_calls_total{method="getChat",outcome="error_502"}'), 1)
    assert.equal(sample(body, 'bot_api_call_duration_seconds_count{method="deleteWebhook",outcome="ok"}'), 1)
    assert.equal(sample(body, 'bot_updates_fetched_total{type="message"}'), 1)
    assert.equal(sample(body, 'bot_updates_fetched_total{type="callback_query"}'), 1)
    assert.equal(sample(body, 'bot_updates_fetched_total{type="other"}'), 1)
    assert.equal(sample(body, "bot_polling_lag_seconds_count"), 1)
    assert.equal(sample(body, 'bot_polling_lag_seconds_bucket{le="10"}'), 0)
    assert.equal(sample(body, 'bot_polling_lag_seconds_bucket{le="60"}'), 1)
    assert.equal(sample(body, "bot_metric_observations_total"), 5 + 3 + 1, "a duration per call, the fetched")
    assert.ok(Math.abs(Date.now() - (metrics.lastBotApiAnswer() ?? 0)) < 60_000, "a 403 is an answer too")
  })

  it("reports cache hits and misses from the cache's own counts", async () => {
    const metrics = makeMetrics()
    const before = await Effect.runPromise(metrics.exposition)
    assert.equal(sample(before.body, 'bot_cache_lookups_total{result="hit"}'), undefined)
    let hits = 3
    metrics.observeCache(() => ({ hits, misses: 1 }))
    hits = 7
    const { body } = await Effect.runPromise(metrics.exposition)
    assert.equal(sample(body, 'bot_cache_lookups_total{result="hit"}'), 7)
    assert.equal(sample(body, 'bot_cache_lookups_total{result="miss"}'), 1)
    assert.ok(promtoolCheck(body).ok)
  })

  it("exposes Node's process metrics as well, still lint-clean", async () => {
    const metrics = makeMetrics({ processMetrics: true })
    const { body } = await Effect.runPromise(metrics.exposition)
    assert.match(body, /^process_cpu_seconds_total /m)
    const check = promtoolCheck(body)
    assert.ok(check.ok, check.output)
  })
})
