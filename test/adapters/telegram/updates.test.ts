import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Either } from "effect"
import { decodeUpdate, toIncoming } from "../../../src/adapters/telegram/updates.ts"

const from = { id: 77, is_bot: false, first_name: "Ali" }
const chat = { id: 77, type: "private" }
const incomingOf = (update: unknown) => toIncoming(Either.getOrThrow(decodeUpdate(update)))

describe("updates", () => {
  it("reads commands, text, contacts, photos and button presses", () => {
    const message = (extra: object) => ({
      update_id: 1,
      message: { message_id: 5, from, chat, date: 1, ...extra },
    })
    assert.deepEqual(incomingOf(message({ text: "/start@HatamiBot ref" }))?.event, {
      _tag: "Command",
      name: "start",
      argument: "ref",
    })
    assert.deepEqual(incomingOf(message({ text: "سلام" }))?.event, { _tag: "Text", text: "سلام" })
    assert.deepEqual(incomingOf(message({ contact: { phone_number: "98912", user_id: 77 } }))?.event, {
      _tag: "Contact",
      phone: "98912",
      contactUserId: 77,
    })
    assert.deepEqual(
      incomingOf(
        message({
          photo: [
            { file_id: "s", file_unique_id: "S" },
            { file_id: "l", file_unique_id: "L" },
          ],
        }),
      )?.event,
      { _tag: "Photo", fileId: "l", fileUniqueId: "L" },
    )
    assert.deepEqual(incomingOf(message({ sticker: { file_id: "x" } }))?.event, { _tag: "Unsupported" })
    assert.deepEqual(
      incomingOf({
        update_id: 2,
        callback_query: { id: "q", from, data: "r1:o0", message: { message_id: 9, chat } },
      })?.event,
      { _tag: "Button", data: "r1:o0", queryId: "q", message: 9 },
    )
  })

  it("skips kinds and chats the bot does not serve", () => {
    assert.equal(incomingOf({ update_id: 3, edited_message: { message_id: 1 } }), undefined)
    assert.equal(
      incomingOf({
        update_id: 4,
        message: { message_id: 1, from, chat: { id: -5, type: "group" }, date: 1, text: "hi" },
      }),
      undefined,
    )
    assert.ok(Either.isLeft(decodeUpdate({ message: "nonsense" })))
  })
})
