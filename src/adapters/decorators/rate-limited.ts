import { Clock, Effect, Layer } from "effect"
import { Bot } from "../../application/bot.ts"
import type { Handled } from "../../application/common/incoming.ts"
import { asUseCase } from "../../application/common/use-case.ts"
import { Messenger } from "../../application/ports/messenger.ts"
import { toPersianDigits } from "../../domain/digits.ts"
import { makeTokenBuckets } from "./token-buckets.ts"
import { RATE_LIMIT_USE_CASE } from "./update-use-cases.ts"

export const RATE_LIMIT_TEXTS = {
  slowDown: (seconds: number) =>
    `⏳ پیام‌های شما خیلی سریع پشت سر هم رسید. لطفاً ${toPersianDigits(seconds)} ثانیهٔ دیگر دوباره تلاش کنید.`,
} as const

export type RateLimitSettings = {
  /** Sustained actions per student per minute (MAX_REQUESTS_PER_MINUTE). */
  readonly perMinute: number
  /** Actions a student may take in a row before the sustained rate applies (RATE_LIMIT_BURST). */
  readonly burst: number
  /** Telegram user ids that are never limited (ADMIN_USER_IDS). */
  readonly exempt: ReadonlyArray<number>
  readonly maxStudents?: number
}

/** One notice per minute at most: the limit is per minute, and so is the reminder. */
const NOTICE_WINDOW_MS = 60_000

/**
 * Bot, rate-limited per student with a token bucket. A refused update never reaches the use cases:
 * the first refusal of a window gets one Persian notice with the seconds to wait, later ones are
 * dropped silently, and a refused button press still answers its spinner with the notice as toast.
 */
export const RateLimitedBot = (settings: RateLimitSettings) =>
  Layer.effect(
    Bot,
    Effect.gen(function* () {
      const inner = yield* Bot
      const messenger = yield* Messenger
      const exempt = new Set(settings.exempt)
      const buckets = makeTokenBuckets({
        perMinute: settings.perMinute,
        burst: settings.burst,
        noticeWindowMs: NOTICE_WINDOW_MS,
        ...(settings.maxStudents === undefined ? {} : { maxStudents: settings.maxStudents }),
      })
      return Bot.of({
        handle: (incoming) =>
          Effect.gen(function* () {
            if (exempt.has(incoming.userId)) return yield* inner.handle(incoming)
            const verdict = buckets.take(incoming.userId, yield* Clock.currentTimeMillis)
            if (verdict._tag === "Allowed") return yield* inner.handle(incoming)
            // a use case of its own: metrics and performance.log count the update as "limited"
            return yield* Effect.gen(function* () {
              const notice = RATE_LIMIT_TEXTS.slowDown(verdict.retryAfterSeconds)
              if (verdict.notify) {
                yield* Effect.logInfo("student rate-limited").pipe(
                  Effect.annotateLogs({
                    userId: incoming.userId,
                    retryAfterSeconds: verdict.retryAfterSeconds,
                  }),
                )
                yield* messenger
                  .send(incoming.chatId, { text: notice })
                  .pipe(
                    Effect.catchAll((error) =>
                      Effect.logWarning("could not send the rate-limit notice", error.detail),
                    ),
                  )
              }
              const handled: Handled = incoming.event._tag === "Button" ? { notice } : {}
              return handled
            }).pipe(asUseCase(RATE_LIMIT_USE_CASE))
          }),
      })
    }),
  )
