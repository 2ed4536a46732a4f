import assert from "node:assert/strict"
import { describe, it } from "node:test"
import fc from "fast-check"
import {
  escapeHtml,
  MAX_MESSAGE_LENGTH,
  renderEdit,
  renderMessages,
  splitText,
} from "../../../src/adapters/telegram/render.ts"

describe("render", () => {
  it("escapes everything HTML parse mode would read as markup", () => {
    assert.equal(escapeHtml("<b>علی & رضا</b>"), "&lt;b&gt;علی &amp; رضا&lt;/b&gt;")
    fc.assert(
      fc.property(fc.string(), (text) => {
        assert.ok(!/[<>]/.test(escapeHtml(text)))
        assert.ok(!/&(?!amp;|lt;|gt;)/.test(escapeHtml(text)))
      }),
    )
  })

  it("splits long text into pieces Telegram accepts, losing nothing but the break", () => {
    const text = Array.from({ length: 900 }, (_, i) => `خط شمارهٔ ${i}`).join("\n")
    const pieces = splitText(text)
    assert.ok(pieces.length > 1)
    for (const piece of pieces) assert.ok(piece.length <= MAX_MESSAGE_LENGTH)
    assert.equal(pieces.join("\n"), text)
    assert.deepEqual(
      splitText("x".repeat(5000)).map((p) => p.length),
      [4096, 904],
    )
  })

  it("puts inline buttons on the last piece only", () => {
    const messages = renderMessages(1, {
      text: "a".repeat(5000),
      choices: [[{ label: "دهم", data: "r1:o0" }]],
    })
    assert.equal(messages.length, 2)
    assert.equal(messages[0]?.reply_markup, undefined)
    assert.deepEqual(messages[1]?.reply_markup, {
      inline_keyboard: [[{ text: "دهم", callback_data: "r1:o0" }]],
    })
  })

  it("renders a contact keyboard and its removal", () => {
    const [withKeyboard] = renderMessages(1, {
      text: "?",
      keyboard: [[{ label: "📱", requestContact: true }]],
    })
    assert.deepEqual((withKeyboard?.reply_markup as { keyboard: unknown } | undefined)?.keyboard, [
      [{ text: "📱", request_contact: true }],
    ])
    const [removal] = renderMessages(1, { text: "ok", removeKeyboard: true })
    assert.deepEqual(removal?.reply_markup, { remove_keyboard: true })
  })

  it("edits without buttons when the reply has none", () => {
    assert.equal(renderEdit(1, 2, { text: "x" }).reply_markup, undefined)
  })
})
