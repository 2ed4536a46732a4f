import { Effect, Either, Layer, Option, Redacted } from "effect"
import catalogJson from "../../data/catalog.json" with { type: "json" }
import { makeMemoryChartRenderer } from "../../src/adapters/memory/memory-chart-renderer.ts"
import { makeMemoryDraftStore } from "../../src/adapters/memory/memory-draft-store.ts"
import { makeMemoryMessenger } from "../../src/adapters/memory/memory-messenger.ts"
import { makeMemoryRecords } from "../../src/adapters/memory/memory-records.ts"
import {
  makeMemoryStudentRepository,
  memoryStudentDirectory,
} from "../../src/adapters/memory/memory-student-repository.ts"
import { fixedClock } from "../../src/adapters/system/clock.ts"
import { BroadcastRunnerLive } from "../../src/application/broadcast/broadcast.ts"
import type { Incoming, StudentEvent } from "../../src/application/common/incoming.ts"
import { handleIncoming } from "../../src/application/handle-update.ts"
import { Admins } from "../../src/application/ports/admins.ts"
import { Announcements } from "../../src/application/ports/announcements.ts"
import { DraftStore } from "../../src/application/ports/draft-store.ts"
import { Ids } from "../../src/application/ports/ids.ts"
import { Shop } from "../../src/application/ports/shop.ts"
import { StorageError } from "../../src/application/ports/storage-error.ts"
import { StorageHealth } from "../../src/application/ports/storage-health.ts"
import { StudentDirectory } from "../../src/application/ports/student-directory.ts"
import { StudentRepository } from "../../src/application/ports/student-repository.ts"
import { type Catalog, decodeCatalog } from "../../src/domain/catalog.ts"
import type { Reply } from "../../src/domain/reply.ts"
import { type Student, UserId } from "../../src/domain/student.ts"

export const CATALOG: Catalog = Either.getOrThrow(decodeCatalog(catalogJson))
export const TEST_CARD = "6037990000001234"
export const ADMIN = 9001

export type MemoryBotOptions = {
  readonly admins?: ReadonlyArray<number>
  readonly cardNumber?: string | undefined
  readonly payeeName?: string
  /** "provided": use the clock the caller provides (e.g. Effect's TestClock) instead of a fixed date. */
  readonly clock?: "fixed" | "provided"
}

/** The application with every port in memory, and helpers to act as one student (or admin). */
export const memoryBot = (options: MemoryBotOptions = {}) => {
  const messenger = makeMemoryMessenger()
  const students = makeMemoryStudentRepository()
  const clock = fixedClock(new Date("2026-11-25T08:00:00Z"))
  const drafts = makeMemoryDraftStore(clock.now)
  const records = makeMemoryRecords()
  const charts = makeMemoryChartRenderer()
  const announced: Array<Student> = []
  const card = "cardNumber" in options ? options.cardNumber : TEST_CARD
  let ids = 41
  let queries = 0
  /**
   * The memory stores' disk: while `full`, writing a draft or a student fails as a full disk does (ENOSPC),
   * and the health it reports to turns failing (as the files' watch does) until `free` is called.
   */
  const disk = {
    full: false,
    failing: false,
    refused: [] as Array<string>,
    fill: () => {
      disk.full = true
    },
    free: () => {
      disk.full = false
      disk.failing = false
    },
  }
  const refuse = (operation: string) =>
    new StorageError({ operation, detail: "ENOSPC: no space left on device, write", code: "ENOSPC" })
  const onDisk = <A, E>(operation: string, write: Effect.Effect<A, E>): Effect.Effect<A, E | StorageError> =>
    Effect.suspend(
      (): Effect.Effect<A, E | StorageError> => (disk.full ? Effect.fail(refuse(operation)) : write),
    )
  const health = StorageHealth.of({
    failing: Effect.sync(() => disk.failing),
    writeFailed: (operation) =>
      Effect.sync(() => {
        disk.refused.push(operation)
        disk.failing = true
      }),
  })
  const base = Layer.mergeAll(
    messenger.layer,
    Layer.succeed(StudentRepository, {
      ...students.service,
      save: (student) => onDisk("save student", students.service.save(student)),
    }),
    Layer.succeed(DraftStore, {
      ...drafts.service,
      put: (...args) => onDisk("write draft", drafts.service.put(...args)),
      remove: (...args) => onDisk("remove draft", drafts.service.remove(...args)),
    }),
    Layer.succeed(StorageHealth, health),
    charts.layer,
    options.clock === "provided" ? Layer.empty : clock.layer,
    Layer.succeed(Ids, {
      next: Effect.sync(() => {
        ids += 1
        return `TESTID${ids}`
      }),
    }),
    Layer.succeed(Shop, {
      catalog: CATALOG,
      payment: {
        cardNumber: card === undefined ? Option.none() : Option.some(Redacted.make(card)),
        payeeName: options.payeeName ?? "استاد حاتمی",
      },
    }),
    Layer.succeed(Admins, { ids: options.admins ?? [ADMIN] }),
    records.layer,
    Layer.succeed(StudentDirectory, memoryStudentDirectory(students.students)),
    Layer.succeed(Announcements, {
      registered: (student) => Effect.sync(() => void announced.push(student)),
    }),
  )
  const ports = Layer.merge(base, BroadcastRunnerLive(1000).pipe(Layer.provide(base)))
  // numbered as Telegram numbers updates: one after the other
  let updateId = 500
  const delivered: Array<Incoming> = []
  const deliver = (incoming: Incoming) => {
    delivered.push(incoming)
    return Effect.runPromise(handleIncoming(incoming).pipe(Effect.provide(ports)))
  }
  const act = (userId: number, event: StudentEvent, name?: string) => {
    updateId += 1
    return deliver({
      userId: UserId.make(userId),
      chatId: userId,
      event,
      updateId,
      ...(name === undefined ? {} : { name }),
    })
  }
  /** Delivers again the update delivered `back` updates ago (1: the latest), as after a crash. */
  const redeliver = (back = 1) => {
    const incoming = delivered[delivered.length - back]
    if (incoming === undefined) throw new Error(`no update ${back} back`)
    return deliver(incoming)
  }
  const lastReply = (userId: number): Reply => {
    const last = messenger.last(userId)
    if (last === undefined) throw new Error(`nothing sent to ${userId}`)
    return last.reply
  }
  /** Presses the button whose label contains `label` on the newest message that has one. */
  const press = (userId: number, label: string, name?: string) => {
    const withButton = [...messenger.messages(userId)]
      .reverse()
      .find((message) => (message.reply.choices ?? []).flat().some((choice) => choice.label.includes(label)))
    const choice = withButton?.reply.choices?.flat().find((candidate) => candidate.label.includes(label))
    if (withButton === undefined || choice === undefined)
      throw new Error(`no button «${label}» for ${userId}`)
    queries += 1
    return act(
      userId,
      { _tag: "Button", data: choice.data, queryId: `q${queries}`, message: withButton.id },
      name,
    )
  }
  const pressData = (userId: number, data: string, message = messenger.last(userId)?.id ?? 0) => {
    queries += 1
    return act(userId, { _tag: "Button", data, queryId: `q${queries}`, message })
  }
  const say = (userId: number, text: string) => {
    const command = /^\/(\w+)(?:\s+([\s\S]*))?$/.exec(text)
    return act(
      userId,
      command === null
        ? { _tag: "Text", text }
        : { _tag: "Command", name: command[1] ?? "", argument: command[2]?.trim() ?? "" },
    )
  }
  return {
    messenger,
    students,
    drafts,
    records,
    disk,
    charts,
    clock,
    announced,
    act,
    redeliver,
    press,
    pressData,
    say,
    lastReply,
    ports,
  }
}

/**
 * Answers every question of a registration as a student would (علی رضایی, دوازدهم تجربی, فارس/شیراز, his own
 * contact), leaving him at the summary; `confirm` presses «تایید» too.
 */
export const fillRegistration = async (bot: ReturnType<typeof memoryBot>, id: number, confirm = true) => {
  await bot.say(id, "/start")
  await bot.say(id, "علی")
  await bot.say(id, "رضایی")
  await bot.press(id, "دوازدهم")
  await bot.press(id, "تجربی")
  await bot.press(id, "بعدی")
  await bot.press(id, "فارس")
  await bot.press(id, "شیراز")
  await bot.act(id, { _tag: "Contact", phone: "989121234567", contactUserId: id })
  if (confirm) await bot.press(id, "تایید")
}
