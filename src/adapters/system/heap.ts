import { Duration, Effect } from "effect"

/**
 * Once start-up work is over (main runs it when the student index is built), a second later: one full,
 * compacting collection (V8's "last resort", which also gives back the young generation's pages).
 * Loading modules, building the layers and scanning 100 000 student files leave tens to hundreds of MB
 * of garbage and a heap grown to match, which V8 keeps while the bot idles; after this the idle bot (the
 * image's bundle) is ~94 MB, ~105 MB with 100 000 students on disk (bench/RESULTS.md). It takes 0.1–0.3 s, once, after ready. Needs node's `--expose-gc`
 * (the Docker image's CMD and `npm start` pass it); without it, nothing happens.
 */
export const compactHeapAfterStart: Effect.Effect<void> = Effect.sleep(Duration.seconds(1)).pipe(
  Effect.zipRight(
    Effect.sync(() => globalThis.gc?.({ type: "major", execution: "sync", flavor: "last-resort" })),
  ),
)
