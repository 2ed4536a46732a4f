import { Effect, Layer, Option } from "effect"
import { StudentRepository } from "../../application/ports/student-repository.ts"
import type { Student, UserId } from "../../domain/student.ts"
import { Housekeeping } from "../common/housekeeping.ts"
import { type CacheStats, Metrics } from "../metrics/metrics.ts"

export type CacheOptions = {
  readonly ttlSeconds: number
  /** At most this many entries; the least recently used goes first. */
  readonly maxEntries: number
  /** Milliseconds now (tests move it). */
  readonly now?: () => number
}

/** A map whose entries expire after a TTL and which forgets the least recently used beyond a bound. */
export const makeTtlLruCache = <K, V>(options: CacheOptions) => {
  const now = options.now ?? Date.now
  const ttl = options.ttlSeconds * 1000
  // A Map iterates in insertion order: re-inserting on every hit keeps the oldest use first.
  const entries = new Map<K, { readonly value: V; readonly expires: number }>()
  let hits = 0
  let misses = 0
  return {
    get: (key: K): Option.Option<V> => {
      const entry = entries.get(key)
      if (entry === undefined || entry.expires <= now()) {
        if (entry !== undefined) entries.delete(key)
        misses += 1
        return Option.none()
      }
      hits += 1
      entries.delete(key)
      entries.set(key, entry)
      return Option.some(entry.value)
    },
    set: (key: K, value: V) => {
      entries.delete(key)
      entries.set(key, { value, expires: now() + ttl })
      while (entries.size > options.maxEntries) {
        const oldest = entries.keys().next()
        if (oldest.done === true) break
        entries.delete(oldest.value)
      }
    },
    delete: (key: K) => void entries.delete(key),
    /** Drops expired entries (the periodic cleanup); returns how many. */
    prune: (): number => {
      const at = now()
      let removed = 0
      for (const [key, entry] of entries) {
        if (entry.expires <= at) {
          entries.delete(key)
          removed += 1
        }
      }
      return removed
    },
    size: () => entries.size,
    stats: (): CacheStats => ({ hits, misses }),
  }
}

/**
 * A decorator over StudentRepository: finds are answered from memory for CACHE_TTL_SECONDS, at most
 * `maxEntries` students (also "not registered" answers); a save invalidates the student's entry.
 * Hits and misses go to the Metrics service; expired entries are trimmed by housekeeping.
 */
export const CachedStudentRepository = (options: CacheOptions) =>
  Layer.effect(
    StudentRepository,
    Effect.gen(function* () {
      const inner = yield* StudentRepository
      const metrics = yield* Metrics
      const housekeeping = yield* Housekeeping
      const cache = makeTtlLruCache<UserId, Option.Option<Student>>(options)
      // Bumped by every save: a find that overlapped a save must not cache what it read before it.
      let saves = 0
      metrics.observeCache(cache.stats)
      yield* housekeeping.register("student cache", Effect.sync(cache.prune))
      return StudentRepository.of({
        find: (id) =>
          Effect.suspend(() => {
            const cached = cache.get(id)
            if (Option.isSome(cached)) return Effect.succeed(cached.value)
            const before = saves
            return Effect.tap(inner.find(id), (found) => {
              if (saves === before) cache.set(id, found)
            })
          }),
        save: (student) =>
          Effect.suspend(() => {
            saves += 1
            cache.delete(student.userId)
            return inner.save(student).pipe(
              Effect.ensuring(
                Effect.sync(() => {
                  saves += 1
                  cache.delete(student.userId)
                }),
              ),
            )
          }),
      })
    }),
  )
