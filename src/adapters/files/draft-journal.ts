import { Schema } from "effect"
import { Conversation } from "../../application/ports/draft-store.ts"

/** The journal of drafts, in USERS_DIR/drafts. */
export const DRAFTS_JOURNAL = "drafts.log"

/**
 * The previous version's drafts, one file each, `drafts/draft_<id>.json`: the store moves them into the
 * journal at its first start, and the import to PostgreSQL reads any still there.
 */
export const OLD_DRAFT_FILE = /^draft_(\d+)\.json$/
export const OldDraftFile = Schema.Struct({
  user_id: Schema.Number,
  updated_at: Schema.String,
  conversation: Conversation,
})

/** A draft as the journal knows it: the conversation, and when it was last written (epoch ms). */
export type StoredDraft = { readonly conversation: Conversation; readonly at: number }

/** The last update a student's line was written for (see HandledMark), and when (epoch ms). */
export type StoredMark = { readonly update: number; readonly at: number }

/**
 * One JSON line per change: `{"id":5,"at":"<ISO>","handled":812,"conversation":{…}}` puts a draft,
 * `{"id":5,"at":"<ISO>","handled":813,"removed":true}` removes it; `handled` names the update the change
 * was made for (absent in lines of earlier versions). The last line of a student wins.
 */
const handled = Schema.optionalWith(Schema.Number, { exact: true })
const DraftRecord = Schema.Union(
  Schema.Struct({ id: Schema.Number, at: Schema.String, handled, removed: Schema.Literal(true) }),
  Schema.Struct({ id: Schema.Number, at: Schema.String, handled, conversation: Conversation }),
)
const decodeRecord = Schema.decodeUnknownEither(DraftRecord)
/**
 * A conversation as the journal stores it. Its schema has no transformation, only checks and brands, so the
 * encoded form is the value itself (the return type makes the compiler hold to that); encoding through the
 * schema only checked again what the domain built from checked input, on every change.
 * Replay decodes every line with the schema.
 */
const encodeConversation = (conversation: Conversation): typeof Conversation.Encoded => conversation

const isoDate = (at: number) => new Date(at).toISOString()

export const putRecord = (id: number, draft: StoredDraft, handled?: number): string =>
  `${JSON.stringify({ id, at: isoDate(draft.at), ...(handled === undefined ? {} : { handled }), conversation: encodeConversation(draft.conversation) })}\n`

export const removedRecord = (id: number, at: number, handled?: number): string =>
  `${JSON.stringify({ id, at: isoDate(at), ...(handled === undefined ? {} : { handled }), removed: true })}\n`

/** A line that did not parse or decode: its number (from 1), the student when it names one, and why. */
export type DamagedLine = {
  readonly line: number
  readonly text: string
  readonly id: number | undefined
  readonly reason: string
}

export type Replayed = {
  readonly drafts: Map<number, StoredDraft>
  /** Per student, the mark of the last line that had one (a removed draft's too). */
  readonly marks: Map<number, StoredMark>
  /** Lines read (damaged ones too): how large the journal is against the live drafts. */
  readonly records: number
  readonly damaged: ReadonlyArray<DamagedLine>
}

const idOf = (value: unknown): number | undefined => {
  const id = (value as { id?: unknown } | null)?.id
  return typeof id === "number" ? id : undefined
}

/**
 * The live drafts `text` (complete lines) leaves. A damaged line is skipped, and the draft of the
 * student it names (when it names one) dropped: that student starts over rather than resume from an
 * older step than the one he saw.
 */
export const replayDraftJournal = (text: string): Replayed => {
  const drafts = new Map<number, StoredDraft>()
  const marks = new Map<number, StoredMark>()
  const damaged: Array<DamagedLine> = []
  let records = 0
  const lines = text.split("\n")
  for (const [index, line] of lines.entries()) {
    if (line === "") continue
    records += 1
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      damaged.push({ line: index + 1, text: line, id: undefined, reason: String(error) })
      continue
    }
    const decoded = decodeRecord(value)
    const at = decoded._tag === "Right" ? Date.parse(decoded.right.at) : Number.NaN
    if (decoded._tag === "Left" || Number.isNaN(at)) {
      const id = idOf(value)
      if (id !== undefined) drafts.delete(id)
      const reason = decoded._tag === "Left" ? String(decoded.left) : "not an ISO date"
      damaged.push({ line: index + 1, text: line, id, reason })
      continue
    }
    const record = decoded.right
    if ("removed" in record) drafts.delete(record.id)
    else drafts.set(record.id, { conversation: record.conversation, at })
    if (record.handled !== undefined) marks.set(record.id, { update: record.handled, at })
  }
  return { drafts, marks, records, damaged }
}
