import { Effect, Layer } from "effect"
import { type ChatId, Messenger, MessengerError } from "../../application/ports/messenger.ts"
import type { Reply } from "../../domain/reply.ts"

export type ShownMessage = { readonly id: number; reply: Reply; readonly edits: Array<Reply> }

/** A messenger that keeps every chat in memory: for tests and for developers who swap adapters. */
export const makeMemoryMessenger = () => {
  const chats = new Map<ChatId, Array<ShownMessage>>()
  const answers = new Map<string, Array<string | undefined>>()
  let nextId = 1
  const find = (chat: ChatId, id: number) => {
    const message = chats.get(chat)?.find((candidate) => candidate.id === id)
    return message === undefined
      ? Effect.fail(new MessengerError({ method: "edit", detail: "message to edit not found", code: 400 }))
      : Effect.succeed(message)
  }
  const service = Messenger.of({
    send: (chat, reply) =>
      Effect.sync(() => {
        const message: ShownMessage = { id: nextId++, reply, edits: [] }
        chats.set(chat, [...(chats.get(chat) ?? []), message])
        return message.id
      }),
    edit: (chat, id, reply) =>
      Effect.map(find(chat, id), (message) => {
        message.edits.push(message.reply)
        message.reply = reply
      }),
    clearButtons: (chat, id) =>
      Effect.map(find(chat, id), (message) => {
        const { choices: _removed, ...rest } = message.reply
        message.reply = rest
      }),
    answerButton: (queryId, notice) =>
      Effect.sync(() => void answers.set(queryId, [...(answers.get(queryId) ?? []), notice])),
  })
  return {
    service,
    layer: Layer.succeed(Messenger, service),
    messages: (chat: ChatId): ReadonlyArray<ShownMessage> => chats.get(chat) ?? [],
    last: (chat: ChatId): ShownMessage | undefined => chats.get(chat)?.at(-1),
    answers,
  }
}
