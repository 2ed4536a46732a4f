import type { ChatStore } from "./emulator-chats.ts"
import type { BotCommand, Method } from "./emulator-methods.ts"
import type {
  ApiCall,
  CallbackAnswer,
  ChatMessage,
  EmulatorEvent,
  ReplyKeyboardMarkup,
  WebhookDelivery,
  WebhookInfo,
} from "./emulator-types.ts"
import type { UpdateFeed } from "./emulator-updates.ts"

const describeCall = (call: ApiCall): string => {
  const { chat_id, text } = call.params
  const shown =
    typeof text === "string" ? ` ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}` : ""
  return `${call.method}${chat_id === undefined ? "" : ` chat ${String(chat_id)}`}${shown} → ${call.status ?? "reset"}`
}

/** What the bot did, as a test or the playground asks it of the emulator (emulator-core.ts). */
export const inspect = (state: {
  readonly calls: ReadonlyArray<ApiCall>
  readonly deliveries: ReadonlyArray<WebhookDelivery>
  readonly callbackAnswers: ReadonlyMap<string, ReadonlyArray<CallbackAnswer>>
  readonly chats: ChatStore
  readonly feed: UpdateFeed
  readonly methods: Record<string, Method>
  readonly onChange: (listener: (event: EmulatorEvent) => void) => () => void
}) => {
  const { calls, deliveries, callbackAnswers, chats, feed, methods, onChange } = state
  const botMessages = (chatId: number): ReadonlyArray<ChatMessage> =>
    chats.find(chatId)?.messages.filter((message) => message.sender === "bot") ?? []
  return {
    /** Every call, in the order they were answered (getUpdates included). */
    calls: calls as ReadonlyArray<ApiCall>,
    callsTo: (method: string): ReadonlyArray<ApiCall> =>
      calls.filter((call) => call.method.toLowerCase() === method.toLowerCase()),
    /** The bot's messages in a chat, oldest first, as they look now (edits applied, deleted ones flagged). */
    messages: botMessages,
    /** The bot's latest message in a chat that is still there. */
    lastMessage: (chatId: number): ChatMessage | undefined =>
      botMessages(chatId).findLast((message) => !message.deleted),
    /** Both sides of the conversation, oldest first. */
    transcript: (chatId: number): ReadonlyArray<ChatMessage> => chats.find(chatId)?.messages ?? [],
    /** The reply keyboard the student currently sees under the input field. */
    replyKeyboard: (chatId: number): ReplyKeyboardMarkup | undefined => chats.find(chatId)?.replyKeyboard,
    isBlocked: (userId: number): boolean => chats.find(userId)?.blocked ?? false,
    /** How many times the bot answered this callback query (the 2nd and later were refused). */
    callbackAnswers: (queryId: string): number => callbackAnswers.get(queryId)?.length ?? 0,
    callbackAnswerLog: (queryId: string): ReadonlyArray<CallbackAnswer> => callbackAnswers.get(queryId) ?? [],
    /** Commands set with setMyCommands for the default scope (or the given scope and language). */
    commands: (
      scope: { readonly scope?: object; readonly language_code?: string } = {},
    ): ReadonlyArray<BotCommand> =>
      (methods.getMyCommands?.(scope, undefined) as ReadonlyArray<BotCommand> | undefined) ?? [],
    /** Bytes of any file the emulator knows: sent by a student or uploaded by the bot. */
    fileContent: (fileId: string): Uint8Array | undefined => chats.file(fileId)?.content,
    /** Updates not yet confirmed by a getUpdates offset (or not yet accepted by the webhook). */
    pendingUpdates: (): number => feed.pending().length,
    webhookInfo: (): WebhookInfo => feed.webhookInfo(),
    webhookDeliveries: deliveries as ReadonlyArray<WebhookDelivery>,

    /** Resolves with the predicate's first truthy value; rejects after timeoutMs with the bot's last calls. */
    waitFor: <T>(predicate: () => T | undefined | null | false, timeoutMs = 2000): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        let lastError: unknown
        let settled = false
        const check = () => {
          if (settled) return
          try {
            const value = predicate()
            if (value) {
              stop()
              resolve(value)
            }
          } catch (error) {
            lastError = error
          }
        }
        const stop = () => {
          settled = true
          clearInterval(poll)
          clearTimeout(timer)
          unsubscribe()
        }
        const poll = setInterval(check, 10)
        const timer = setTimeout(() => {
          stop()
          const recent =
            calls
              .filter((call) => call.method !== "getUpdates")
              .slice(-6)
              .map(describeCall)
              .join("; ") || "none"
          const cause = lastError instanceof Error ? ` Last error: ${lastError.message}.` : ""
          reject(
            new Error(
              `waitFor: not satisfied within ${timeoutMs} ms.${cause} Latest bot calls (getUpdates left out): ${recent}`,
            ),
          )
        }, timeoutMs)
        const unsubscribe = onChange(check)
        check()
      }),
  }
}
