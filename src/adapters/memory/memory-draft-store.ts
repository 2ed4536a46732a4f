import { Effect, Layer, Option } from "effect"
import { type Conversation, DraftStore } from "../../application/ports/draft-store.ts"
import type { UserId } from "../../domain/student.ts"

/** Conversations in a Map: for tests and for developers who swap adapters. */
export const makeMemoryDraftStore = () => {
  const conversations = new Map<UserId, Conversation>()
  return {
    conversations,
    service: DraftStore.of({
      get: (id) => Effect.sync(() => Option.fromNullable(conversations.get(id))),
      put: (id, conversation) => Effect.sync(() => void conversations.set(id, conversation)),
      remove: (id) => Effect.sync(() => void conversations.delete(id)),
    }),
  }
}

export const MemoryDraftStore = Layer.sync(DraftStore, () => makeMemoryDraftStore().service)
