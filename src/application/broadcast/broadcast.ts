import { Duration, Effect, Clock as EffectClock, Either, Layer, Option } from "effect"
import { type Audience, type Broadcast, type DeliveryState, reaches, tally } from "../../domain/broadcast.ts"
import { toPersianDigits } from "../../domain/digits.ts"
import { GRADES } from "../../domain/school.ts"
import type { UserId } from "../../domain/student.ts"
import { choice } from "../common/actions.ts"
import type { Handled } from "../common/incoming.ts"
import { useCase } from "../common/use-case.ts"
import { BroadcastRunner } from "../ports/broadcast-runner.ts"
import { BroadcastStore } from "../ports/broadcast-store.ts"
import { currentDate } from "../ports/clock.ts"
import { FlagStore } from "../ports/flag-store.ts"
import { Ids } from "../ports/ids.ts"
import { type ChatId, type MessageId, Messenger, type MessengerError } from "../ports/messenger.ts"
import { StudentDirectory } from "../ports/student-directory.ts"
import { BROADCAST_BUTTONS, BROADCAST_TEXTS } from "./broadcast-texts.ts"

const fa = (n: number) => toPersianDigits(n)

type Recipients = ReadonlyArray<UserId>

const recipientsOf = (audience: Audience) =>
  Effect.gen(function* () {
    const summaries = yield* (yield* StudentDirectory).summaries
    const flags = yield* FlagStore
    const banned = new Set(
      (yield* flags.all).filter((entry) => entry.banned !== undefined).map((entry) => entry.userId as number),
    )
    return summaries
      .filter((student) => reaches(audience, student.grade) && !banned.has(student.userId))
      .map((student) => student.userId)
      .sort((a, b) => a - b) as Recipients
  })

const audienceName = (audience: Audience) =>
  audience === "all" ? BROADCAST_TEXTS.audienceAll : BROADCAST_TEXTS.audienceGrade(audience)

/**
 * Spaces calls at least 1/rate seconds apart, across everything the runner sends — 8 % wider, so that
 * jitter on the way to Telegram (up to ~80 ms) never squeezes one more message into a second at its end.
 */
const makePacer = (perSecond: number) => {
  const gap = 1080 / perSecond
  let next = 0
  return Effect.gen(function* () {
    const now = yield* EffectClock.currentTimeMillis
    const wait = next - now
    next = Math.max(now, next) + gap
    if (wait > 0) yield* Effect.sleep(Duration.millis(wait))
  })
}

const MAX_RETRIES_AFTER_429 = 10

const makeRun = (perSecond: number) => {
  const pace = makePacer(perSecond)

  /** One recipient: claimed durably first, so that after a crash it is never sent again. */
  const deliver = (broadcast: Broadcast, userId: UserId) =>
    Effect.gen(function* () {
      const store = yield* BroadcastStore
      const messenger = yield* Messenger
      // Someone else (another runner, another replica) has this recipient: not ours to send.
      if (!(yield* store.claim(broadcast.id, userId))) return Option.none<DeliveryState>()
      const attempt = (retries: number): Effect.Effect<DeliveryState> =>
        pace.pipe(
          Effect.zipRight(messenger.broadcast(userId, { text: broadcast.text })),
          Effect.as<DeliveryState>("sent"),
          Effect.catchAll((error: MessengerError) => {
            // 429 means "not sent, wait": the one refusal that is safe to try again.
            if (error.code === 429 && retries < MAX_RETRIES_AFTER_429)
              return Effect.sleep(Duration.seconds(error.retryAfter ?? 1)).pipe(
                Effect.zipRight(attempt(retries + 1)),
              )
            return Effect.succeed<DeliveryState>(error.code === 403 ? "blocked" : "failed")
          }),
        )
      const state = yield* attempt(0)
      if (state === "blocked") yield* (yield* FlagStore).markBlocked(userId, yield* currentDate)
      yield* store.record(broadcast.id, [{ userId, state }])
      return Option.some(state)
    }).pipe(Effect.uninterruptible)

  const showProgress = (broadcast: Broadcast, text: string) =>
    Effect.gen(function* () {
      if (broadcast.progress === undefined) return
      yield* pace
      yield* (yield* Messenger)
        .edit(broadcast.progress.chatId, broadcast.progress.messageId, { text })
        .pipe(
          Effect.catchAll((error) => Effect.logDebug("could not update broadcast progress", error.detail)),
        )
    })

  return useCase("Broadcast.run")(function* (id: string) {
    const store = yield* BroadcastStore
    const found = yield* store.find(id)
    if (Option.isNone(found) || found.value.status !== "sending") return
    const broadcast = found.value
    const recipients = yield* recipientsOf(broadcast.audience)
    const states = new Map<number, DeliveryState>(yield* store.deliveries(id))
    const total = new Set([...recipients, ...states.keys()]).size
    let lastShown = 0
    const progress = () => {
      const counts = tally(states.values())
      return BROADCAST_TEXTS.progress(
        fa(states.size),
        fa(total),
        fa(counts.sent),
        fa(counts.blocked),
        fa(counts.failed),
      )
    }
    yield* Effect.logInfo(`broadcast ${id}: ${recipients.length} recipients, ${states.size} already done`)
    for (const userId of recipients) {
      if (states.has(userId)) continue
      const state = yield* deliver(broadcast, userId)
      states.set(
        userId,
        Option.getOrElse(state, () => "claimed" as const),
      )
      const now = yield* EffectClock.currentTimeMillis
      if (now - lastShown >= 2000) {
        lastShown = now
        yield* showProgress(broadcast, progress())
      }
    }
    const finishedAt = yield* currentDate
    yield* store.update(id, (current) => Either.right({ ...current, status: "done" as const, finishedAt }))
    const counts = tally(states.values())
    yield* showProgress(
      broadcast,
      BROADCAST_TEXTS.done(
        fa(total),
        fa(counts.sent),
        fa(counts.blocked),
        fa(counts.failed),
        fa(counts.uncertain),
      ),
    )
    yield* Effect.logInfo(`broadcast ${id} done`, counts)
  })
}

type RunnerPorts = BroadcastStore | StudentDirectory | Messenger | FlagStore

/** The runner, sending at most `perSecond` messages a second for all broadcasts together. */
export const BroadcastRunnerLive = (perSecond: number): Layer.Layer<BroadcastRunner, never, RunnerPorts> =>
  Layer.effect(
    BroadcastRunner,
    Effect.gen(function* () {
      const context = yield* Effect.context<RunnerPorts>()
      const run = makeRun(perSecond)
      const oneAtATime = yield* Effect.makeSemaphore(1)
      const running = new Set<string>()
      const start = (id: string) =>
        Effect.suspend(() => {
          if (running.has(id)) return Effect.void
          running.add(id)
          return run(id).pipe(
            oneAtATime.withPermits(1),
            Effect.catchAllCause((cause) => Effect.logError(`broadcast ${id} stopped`, cause)),
            Effect.ensuring(Effect.sync(() => running.delete(id))),
            Effect.provide(context),
            Effect.forkDaemon,
            Effect.asVoid,
          )
        })
      const resume = Effect.flatMap(BroadcastStore, (store) => store.sending).pipe(
        Effect.flatMap((sending) =>
          Effect.forEach(sending, (broadcast) => start(broadcast.id), { discard: true }),
        ),
        Effect.catchAll((error) => Effect.logError("could not resume broadcasts", error.detail)),
        Effect.provide(context),
      )
      return BroadcastRunner.of({ start, resume })
    }),
  )

const audienceChoices = useCase("Broadcast.audiences")(function* (id: string) {
  const summaries = yield* (yield* StudentDirectory).summaries
  const count = (audience: Audience) =>
    fa(summaries.filter((student) => reaches(audience, student.grade)).length)
  return [
    [
      choice(BROADCAST_BUTTONS.audienceAll(count("all")), {
        _tag: "Audience",
        broadcastId: id,
        audience: "all",
      }),
    ],
    GRADES.map((grade) =>
      choice(BROADCAST_BUTTONS.audienceGrade(grade, count(grade)), {
        _tag: "Audience",
        broadcastId: id,
        audience: grade,
      }),
    ),
    [choice(BROADCAST_BUTTONS.cancel, { _tag: "CancelBroadcast", broadcastId: id })],
  ]
})

/** /broadcast <text>: a draft, shown as a preview with the choice of recipients. */
export const draftBroadcast = useCase("Broadcast.draft")(function* (
  chatId: ChatId,
  adminId: number,
  text: string,
) {
  const messenger = yield* Messenger
  if (text.trim() === "") return yield* Effect.asVoid(messenger.send(chatId, { text: BROADCAST_TEXTS.usage }))
  const broadcast: Broadcast = {
    id: yield* (yield* Ids).next,
    text: text.trim(),
    audience: "all",
    createdBy: adminId,
    createdAt: yield* currentDate,
    status: "draft",
  }
  yield* (yield* BroadcastStore).create(broadcast)
  yield* messenger.send(chatId, {
    text: BROADCAST_TEXTS.preview(broadcast.text),
    choices: yield* audienceChoices(broadcast.id),
  })
})

type Pressed = { readonly chatId: ChatId; readonly at: MessageId }

const stale = { notice: BROADCAST_TEXTS.gone } satisfies Handled

/** Recipients chosen: the last look before sending. */
export const chooseAudience = useCase("Broadcast.audience")(function* (
  pressed: Pressed,
  id: string,
  audience: Audience,
) {
  const changed = yield* (yield* BroadcastStore).update(id, (broadcast) =>
    broadcast.status === "draft"
      ? Either.right({ ...broadcast, audience })
      : Either.left("not a draft" as const),
  )
  if (Either.isLeft(changed)) return { notice: BROADCAST_TEXTS.notADraft } satisfies Handled
  const count = (yield* recipientsOf(audience)).length
  yield* (yield* Messenger).edit(pressed.chatId, pressed.at, {
    text: BROADCAST_TEXTS.confirm(changed.right.text, audienceName(audience), fa(count)),
    choices: [
      [choice(BROADCAST_BUTTONS.send, { _tag: "SendBroadcast", broadcastId: id })],
      [
        choice(BROADCAST_BUTTONS.changeAudience, { _tag: "ChangeAudience", broadcastId: id }),
        choice(BROADCAST_BUTTONS.cancel, { _tag: "CancelBroadcast", broadcastId: id }),
      ],
    ],
  })
  return {} satisfies Handled
})

export const changeAudience = useCase("Broadcast.changeAudience")(function* (pressed: Pressed, id: string) {
  const broadcast = yield* (yield* BroadcastStore).find(id)
  if (Option.isNone(broadcast) || broadcast.value.status !== "draft") return stale
  yield* (yield* Messenger).edit(pressed.chatId, pressed.at, {
    text: BROADCAST_TEXTS.preview(broadcast.value.text),
    choices: yield* audienceChoices(id),
  })
  return {} satisfies Handled
})

/** Send pressed: draft → sending happens once, however often the button is pressed. */
export const confirmBroadcast = useCase("Broadcast.confirm")(function* (pressed: Pressed, id: string) {
  const changed = yield* (yield* BroadcastStore).update(id, (broadcast) =>
    broadcast.status === "draft"
      ? Either.right({
          ...broadcast,
          status: "sending" as const,
          progress: { chatId: pressed.chatId, messageId: pressed.at },
        })
      : Either.left("not a draft" as const),
  )
  if (Either.isLeft(changed)) return { notice: BROADCAST_TEXTS.alreadySent } satisfies Handled
  yield* (yield* Messenger)
    .edit(pressed.chatId, pressed.at, { text: BROADCAST_TEXTS.progress("۰", "…", "۰", "۰", "۰") })
    .pipe(Effect.catchAll(() => Effect.void))
  yield* (yield* BroadcastRunner).start(id)
  return {} satisfies Handled
})

export const cancelBroadcast = useCase("Broadcast.cancel")(function* (pressed: Pressed, id: string) {
  const changed = yield* (yield* BroadcastStore).update(id, (broadcast) =>
    broadcast.status === "draft"
      ? Either.right({ ...broadcast, status: "cancelled" as const })
      : Either.left("not a draft" as const),
  )
  if (Either.isLeft(changed)) return stale
  yield* (yield* Messenger).edit(pressed.chatId, pressed.at, { text: BROADCAST_TEXTS.cancelled })
  return {} satisfies Handled
})
