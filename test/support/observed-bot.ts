import { after } from "node:test"
import { Clock, Effect, Layer, ManagedRuntime, TestClock, TestContext } from "effect"
import { MeteredBot } from "../../src/adapters/decorators/metered.ts"
import { RateLimitedBot } from "../../src/adapters/decorators/rate-limited.ts"
import { SpanMetrics } from "../../src/adapters/decorators/span-metrics.ts"
import { TslogLogging } from "../../src/adapters/logging/logger.ts"
import { PerformanceLog, PerformanceLogLive } from "../../src/adapters/logging/performance-log.ts"
import { Metrics, MetricsLive } from "../../src/adapters/metrics/metrics.ts"
import { Bot, BotLive } from "../../src/application/bot.ts"
import type { Handled, StudentEvent } from "../../src/application/common/incoming.ts"
import { UserId } from "../../src/domain/student.ts"
import { memoryBot } from "./memory-bot.ts"

export type ObservedOptions = {
  readonly perMinute?: number
  readonly burst?: number
  readonly admins?: ReadonlyArray<number>
  /** Where bot.log and performance.log go; none by default. */
  readonly logDir?: string
  readonly secrets?: ReadonlyArray<string>
  /** Replaces some of the in-memory ports (e.g. a repository that throws). */
  readonly override?: Layer.Layer<never>
}

/**
 * The application with in-memory ports, wrapped as main.ts wraps it (metered outside, rate-limited
 * inside), with metrics, the span tracer, performance.log and the tslog logger. Time is Effect's
 * TestClock: it stands still until `advance`.
 */
export const observedBot = (options: ObservedOptions = {}) => {
  // the decorators and the application read one clock, the TestClock below
  const app = memoryBot({ clock: "provided" })
  const stdout: Array<string> = []
  const ports = options.override === undefined ? app.ports : Layer.merge(app.ports, options.override)
  const decorated = MeteredBot.pipe(
    Layer.provide(
      RateLimitedBot({
        perMinute: options.perMinute ?? 10,
        burst: options.burst ?? 20,
        exempt: options.admins ?? [],
      }).pipe(Layer.provide(BotLive)),
    ),
    Layer.provideMerge(ports),
  )
  const observability = Layer.mergeAll(SpanMetrics, PerformanceLogLive(3600)).pipe(
    // The active-students gauge reads the same (test) clock as the decorators.
    Layer.provideMerge(MetricsLive({ now: (): number => runtime.runSync(Clock.currentTimeMillis) })),
  )
  const logging = TslogLogging({
    level: "DEBUG",
    json: true,
    dir: options.logDir,
    secrets: options.secrets ?? [],
    stdout: (line) => void stdout.push(line),
  })
  const runtime = ManagedRuntime.make(
    decorated.pipe(
      Layer.provideMerge(observability),
      Layer.provideMerge(logging),
      Layer.provideMerge(TestContext.TestContext),
    ),
  )
  let queries = 0

  const act = (userId: number, event: StudentEvent): Promise<Handled> =>
    runtime.runPromise(
      Effect.flatMap(Bot, (bot) => bot.handle({ userId: UserId.make(userId), chatId: userId, event })),
    )
  const say = (userId: number, text: string) =>
    act(
      userId,
      text.startsWith("/") ? { _tag: "Command", name: text.slice(1), argument: "" } : { _tag: "Text", text },
    )
  /** Presses the button whose label contains `label` on the newest message that has one. */
  const press = (userId: number, label: string) => {
    const message = [...app.messenger.messages(userId)]
      .reverse()
      .find((candidate) =>
        (candidate.reply.choices ?? []).flat().some((choice) => choice.label.includes(label)),
      )
    const choice = message?.reply.choices?.flat().find((candidate) => candidate.label.includes(label))
    if (message === undefined || choice === undefined) throw new Error(`no button «${label}» for ${userId}`)
    queries += 1
    return act(userId, { _tag: "Button", data: choice.data, queryId: `q${queries}`, message: message.id })
  }
  return {
    ...app,
    runtime,
    stdout,
    act,
    say,
    press,
    advance: (millis: number) => runtime.runPromise(TestClock.adjust(millis)),
    metrics: () => runtime.runPromise(Metrics),
    exposition: () => runtime.runPromise(Effect.flatMap(Metrics, (metrics) => metrics.exposition)),
    summarize: () => runtime.runPromise(Effect.flatMap(PerformanceLog, (log) => log.summarize)),
    dispose: () => runtime.dispose(),
  }
}

export type ObservedBot = ReturnType<typeof observedBot>

/** A full registration as a student taps it, with both page turns of the province list. */
export const registerQuickly = async (bot: ObservedBot, userId: number, pause: () => Promise<unknown>) => {
  const steps: Array<() => Promise<Handled>> = [
    () => bot.say(userId, "/start"),
    () => bot.say(userId, "علی"),
    () => bot.say(userId, "رضایی"),
    () => bot.press(userId, "دوازدهم"),
    () => bot.press(userId, "تجربی"),
    () => bot.press(userId, "بعدی"),
    () => bot.press(userId, "بعدی"),
    () => bot.press(userId, "قبلی"),
    () => bot.press(userId, "فارس"),
    () => bot.press(userId, "شیراز"),
    () => bot.act(userId, { _tag: "Contact", phone: "989121234567", contactUserId: userId }),
    () => bot.press(userId, "تایید"),
  ]
  const handled: Array<Handled> = []
  for (const step of steps) {
    handled.push(await step())
    await pause()
  }
  return handled
}

/** A maker of observed bots for one `describe`: every bot it made is disposed of after the suite. */
export const observedBots = () => {
  const bots: Array<ObservedBot> = []
  after(async () => {
    for (const bot of bots) await bot.dispose()
  })
  return (options: Parameters<typeof observedBot>[0] = {}): ObservedBot => {
    const bot = observedBot(options)
    bots.push(bot)
    return bot
  }
}
