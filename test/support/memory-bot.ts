import { Effect, Layer } from "effect"
import { makeMemoryDraftStore } from "../../src/adapters/memory/memory-draft-store.ts"
import { makeMemoryMessenger } from "../../src/adapters/memory/memory-messenger.ts"
import { makeMemoryStudentRepository } from "../../src/adapters/memory/memory-student-repository.ts"
import { fixedClock } from "../../src/adapters/system/clock.ts"
import { handleIncoming } from "../../src/application/handle-update.ts"
import type { Incoming, StudentEvent } from "../../src/application/incoming.ts"
import { DraftStore } from "../../src/application/ports/draft-store.ts"
import { Ids } from "../../src/application/ports/ids.ts"
import { StudentRepository } from "../../src/application/ports/student-repository.ts"
import type { Reply } from "../../src/domain/reply.ts"
import { UserId } from "../../src/domain/student.ts"

/** The application with every port in memory, and helpers to act as one student. */
export const memoryBot = () => {
  const messenger = makeMemoryMessenger()
  const students = makeMemoryStudentRepository()
  const drafts = makeMemoryDraftStore()
  const clock = fixedClock(new Date("2026-11-25T08:00:00Z"))
  let queries = 0
  const ports = Layer.mergeAll(
    messenger.layer,
    Layer.succeed(StudentRepository, students.service),
    Layer.succeed(DraftStore, drafts.service),
    clock.layer,
    Layer.succeed(Ids, { next: Effect.succeed("TESTID42") }),
  )
  const act = (userId: number, event: StudentEvent) => {
    const incoming: Incoming = { userId: UserId.make(userId), chatId: userId, event }
    return Effect.runPromise(handleIncoming(incoming).pipe(Effect.provide(ports)))
  }
  const lastReply = (userId: number): Reply => {
    const last = messenger.last(userId)
    if (last === undefined) throw new Error(`nothing sent to ${userId}`)
    return last.reply
  }
  const press = (userId: number, label: string) => {
    const withButton = [...messenger.messages(userId)]
      .reverse()
      .find((message) => (message.reply.choices ?? []).flat().some((choice) => choice.label.includes(label)))
    const choice = withButton?.reply.choices?.flat().find((candidate) => candidate.label.includes(label))
    if (withButton === undefined || choice === undefined)
      throw new Error(`no button «${label}» for ${userId}`)
    queries += 1
    return act(userId, { _tag: "Button", data: choice.data, queryId: `q${queries}`, message: withButton.id })
  }
  const say = (userId: number, text: string) =>
    act(
      userId,
      text.startsWith("/") ? { _tag: "Command", name: text.slice(1), argument: "" } : { _tag: "Text", text },
    )
  return { messenger, students, drafts, clock, act, press, say, lastReply, ports }
}
