import { Effect, Layer, Schema } from "effect"
import { Messenger, MessengerError } from "../../application/ports/messenger.ts"
import { BotApi, type BotApiFailure, type InputFile } from "./bot-api.ts"
import { renderEdit, renderMessages } from "./render.ts"

const SentMessage = Schema.Struct({ message_id: Schema.Number })
const Anything = Schema.Unknown

const toMessengerError = (failure: BotApiFailure) =>
  new MessengerError({
    method: failure.method,
    detail: failure._tag === "BotApiError" ? failure.description : failure.detail,
    ...(failure._tag === "BotApiError" ? { code: failure.code } : {}),
    ...(failure._tag === "BotApiError" && failure.retryAfter !== undefined
      ? { retryAfter: failure.retryAfter }
      : {}),
  })

/** Telegram counts an edit to the same content as an error; for us the message already says it. */
const notModifiedIsFine = <A>(effect: Effect.Effect<A, BotApiFailure>) =>
  effect.pipe(
    Effect.asVoid,
    Effect.catchIf(
      (failure) => failure._tag === "BotApiError" && failure.description.includes("message is not modified"),
      () => Effect.void,
    ),
  )

/** The Messenger port over the Bot API. */
export const TelegramMessenger = Layer.effect(
  Messenger,
  Effect.gen(function* () {
    const api = yield* BotApi
    /** A photo or document (a file Telegram has, by id, or one uploaded) with its caption cut to Telegram's limit. */
    const sendFile = (
      method: "sendPhoto" | "sendDocument",
      field: "photo" | "document",
      chat: number,
      file: string | InputFile,
      caption: string | undefined,
    ) =>
      api
        .call(
          method,
          {
            chat_id: chat,
            [field]: file,
            ...(caption === undefined ? {} : { caption: caption.slice(0, 1024) }),
          },
          SentMessage,
        )
        .pipe(
          Effect.map((sent) => sent.message_id),
          Effect.mapError(toMessengerError),
        )
    return Messenger.of({
      send: (chat, reply) =>
        Effect.reduce(renderMessages(chat, reply), 0, (_, params) =>
          api.call("sendMessage", params, SentMessage).pipe(Effect.map((sent) => sent.message_id)),
        ).pipe(Effect.mapError(toMessengerError)),
      edit: (chat, message, reply) =>
        notModifiedIsFine(api.call("editMessageText", renderEdit(chat, message, reply), Anything)).pipe(
          Effect.mapError(toMessengerError),
        ),
      clearButtons: (chat, message) =>
        notModifiedIsFine(
          api.call("editMessageReplyMarkup", { chat_id: chat, message_id: message }, Anything),
        ).pipe(Effect.mapError(toMessengerError)),
      answerButton: (queryId, notice) =>
        api
          .call(
            "answerCallbackQuery",
            notice === undefined
              ? { callback_query_id: queryId }
              : { callback_query_id: queryId, text: notice.slice(0, 200) },
            Anything,
          )
          .pipe(Effect.asVoid, Effect.mapError(toMessengerError)),
      sendPhoto: (chat, fileId, caption) => sendFile("sendPhoto", "photo", chat, fileId, caption),
      sendImage: (chat, image, caption) =>
        sendFile("sendPhoto", "photo", chat, { _tag: "InputFile", ...image }, caption),
      sendDocument: (chat, document, caption) =>
        sendFile("sendDocument", "document", chat, { _tag: "InputFile", ...document }, caption),
      setCommands: (commands, chat) =>
        api
          .call(
            "setMyCommands",
            { commands, ...(chat === undefined ? {} : { scope: { type: "chat", chat_id: chat } }) },
            Anything,
          )
          .pipe(Effect.asVoid, Effect.mapError(toMessengerError)),
      broadcast: (chat, reply) =>
        Effect.reduce(renderMessages(chat, reply), 0, (_, params) =>
          api
            .call("sendMessage", params, SentMessage, { atMostOnce: true })
            .pipe(Effect.map((sent) => sent.message_id)),
        ).pipe(Effect.mapError(toMessengerError)),
    })
  }),
)
