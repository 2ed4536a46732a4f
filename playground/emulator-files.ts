import { type ChatStore, type Media, messageFile } from "./emulator-chats.ts"
import { badRequest, isUploadedFile, type Params } from "./emulator-params.ts"
import type { MessageFile } from "./emulator-types.ts"

/** A file parameter: an upload, a file_id Telegram knows, or an http(s) URL for Telegram to fetch. */
export const readFile = (chats: ChatStore, params: Params, field: "document" | "photo"): MessageFile => {
  const input = params[field]
  const folder = field === "photo" ? "photos" : "documents"
  if (isUploadedFile(input)) {
    return messageFile(
      chats.storeFile(folder, input.content, { file_name: input.file_name, mime_type: input.mime_type }),
    )
  }
  if (typeof input !== "string" || input === "") throw badRequest(`there is no ${field} in the request`)
  const known = chats.file(input)
  if (known !== undefined) return messageFile(known)
  if (!/^https?:\/\/\S+$/.test(input)) throw badRequest("wrong file identifier/HTTP URL specified")
  return { ...messageFile(chats.storeFile(folder, new Uint8Array())), content: undefined, url: input }
}

export const mediaOf = (field: "document" | "photo", file: MessageFile): Media =>
  field === "photo"
    ? {
        photo: [
          {
            file_id: file.file_id,
            file_unique_id: file.file_unique_id,
            width: 1280,
            height: 960,
            file_size: file.size,
          },
        ],
      }
    : {
        document: {
          file_id: file.file_id,
          file_unique_id: file.file_unique_id,
          file_size: file.size,
          ...(file.file_name === undefined ? {} : { file_name: file.file_name }),
          ...(file.mime_type === undefined ? {} : { mime_type: file.mime_type }),
        },
      }
