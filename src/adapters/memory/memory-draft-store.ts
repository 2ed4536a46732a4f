import { Effect, Layer, Option } from "effect"
import { type Conversation, DraftStore, type HandledMark } from "../../application/ports/draft-store.ts"
import type { UserId } from "../../domain/student.ts"

/** Conversations in a Map: for tests and for developers who swap adapters. */
export const makeMemoryDraftStore = (now: () => Date = () => new Date()) => {
  const conversations = new Map<UserId, Conversation>()
  const marks = new Map<UserId, HandledMark>()
  const mark = (id: UserId, handled: number | undefined) => {
    if (handled !== undefined) marks.set(id, { update: handled, at: now() })
  }
  return {
    conversations,
    service: DraftStore.of({
      get: (id) =>
        Effect.sync(() => ({
          conversation: Option.fromNullable(conversations.get(id)),
          handled: Option.fromNullable(marks.get(id)),
        })),
      put: (id, conversation, handled) =>
        Effect.sync(() => {
          conversations.set(id, conversation)
          mark(id, handled)
        }),
      remove: (id, handled) =>
        Effect.sync(() => {
          conversations.delete(id)
          mark(id, handled)
        }),
    }),
  }
}

export const MemoryDraftStore = Layer.sync(DraftStore, () => makeMemoryDraftStore().service)
