/**
 * One token bucket per student. A bucket holds up to `burst` tokens and refills at `perMinute` tokens
 * a minute; every action takes one. So a student may act `burst` times in a row (a whole registration
 * at tapping speed), then `perMinute` times a minute: a flood runs dry at once.
 */
export type BucketSettings = {
  readonly perMinute: number
  readonly burst: number
  /** After a notice, further refusals stay silent for this long. */
  readonly noticeWindowMs: number
  /** Hard cap on remembered students; the least recently seen go first. */
  readonly maxStudents?: number
}

export type Verdict =
  | { readonly _tag: "Allowed" }
  | {
      readonly _tag: "Limited"
      /** Whole seconds until the next action will be allowed (at least 1). */
      readonly retryAfterSeconds: number
      /** True for the first refusal of a notice window: tell the student, once. */
      readonly notify: boolean
    }

type Bucket = { tokens: number; updatedAt: number; quietUntil: number }

export const makeTokenBuckets = (settings: BucketSettings) => {
  const perMs = settings.perMinute / 60_000
  const refillMs = settings.burst / perMs
  const maxStudents = settings.maxStudents ?? 100_000
  // Kept least recently seen first: a student is moved to the end on every action.
  const buckets = new Map<number, Bucket>()

  /** A full bucket with no notice window open says nothing a fresh bucket would not. */
  const forgetIdle = (now: number) => {
    for (const [student, bucket] of buckets) {
      const idle = now - bucket.updatedAt >= refillMs && now >= bucket.quietUntil
      if (!idle && buckets.size <= maxStudents) break
      buckets.delete(student)
    }
  }

  return {
    take: (student: number, now: number): Verdict => {
      const bucket = buckets.get(student) ?? { tokens: settings.burst, updatedAt: now, quietUntil: 0 }
      buckets.delete(student)
      buckets.set(student, bucket)
      bucket.tokens = Math.min(settings.burst, bucket.tokens + Math.max(0, now - bucket.updatedAt) * perMs)
      bucket.updatedAt = now
      forgetIdle(now)
      // Tolerance for floating-point refills: 1000 ms + 5000 ms of refill is one whole token.
      if (bucket.tokens >= 1 - 1e-9) {
        bucket.tokens = Math.max(0, bucket.tokens - 1)
        return { _tag: "Allowed" }
      }
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000))
      const notify = now >= bucket.quietUntil
      if (notify) bucket.quietUntil = now + settings.noticeWindowMs
      return { _tag: "Limited", retryAfterSeconds, notify }
    },
    /** Students whose bucket is remembered. */
    size: () => buckets.size,
  }
}
