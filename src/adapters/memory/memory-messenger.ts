import { Effect, Layer } from "effect"
import {
  type ChatId,
  type Command,
  Messenger,
  MessengerError,
  type OutgoingDocument,
} from "../../application/ports/messenger.ts"
import type { Reply } from "../../domain/reply.ts"

export type ShownMessage = {
  readonly id: number
  reply: Reply
  readonly edits: Array<Reply>
  /** A photo (its file id) or document (its name and bytes) shown with the text as caption. */
  readonly photo?: string
  readonly document?: OutgoingDocument
  /** A picture the bot made and uploaded (a chart). */
  readonly image?: OutgoingDocument
}

/** A messenger that keeps every chat in memory: for tests and for developers who swap adapters. */
export const makeMemoryMessenger = () => {
  const chats = new Map<ChatId, Array<ShownMessage>>()
  const answers = new Map<string, Array<string | undefined>>()
  const commands = new Map<ChatId | "default", ReadonlyArray<Command>>()
  let nextId = 1
  const show = (chat: ChatId, message: Omit<ShownMessage, "id" | "edits">) =>
    Effect.sync(() => {
      const shown: ShownMessage = { id: nextId++, edits: [], ...message }
      chats.set(chat, [...(chats.get(chat) ?? []), shown])
      return shown.id
    })
  const find = (chat: ChatId, id: number) => {
    const message = chats.get(chat)?.find((candidate) => candidate.id === id)
    return message === undefined
      ? Effect.fail(new MessengerError({ method: "edit", detail: "message to edit not found", code: 400 }))
      : Effect.succeed(message)
  }
  const service = Messenger.of({
    send: (chat, reply) => show(chat, { reply }),
    broadcast: (chat, reply) => show(chat, { reply }),
    sendPhoto: (chat, fileId, caption) => show(chat, { reply: { text: caption ?? "" }, photo: fileId }),
    sendDocument: (chat, document, caption) => show(chat, { reply: { text: caption ?? "" }, document }),
    sendImage: (chat, image, caption) => show(chat, { reply: { text: caption ?? "" }, image }),
    setCommands: (list, chat) => Effect.sync(() => void commands.set(chat ?? "default", list)),
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
    commands,
  }
}
