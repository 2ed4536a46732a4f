import { readFile } from "node:fs/promises"
import { Effect, Layer, Logger, Option } from "effect"
import {
  DRAFTS_FOLDER,
  draftJournalPath,
  makeFileDraftStore,
} from "../../src/adapters/files/file-draft-store.ts"
import { UsersDirectoryLive } from "../../src/adapters/files/users-directory.ts"
import type { Conversation } from "../../src/application/ports/draft-store.ts"
import { newRegistration } from "../../src/domain/registration-draft.ts"
import { profile } from "./students.ts"

export const halfway: Conversation = {
  draft: {
    ...newRegistration,
    step: "grade",
    revision: 2,
    answers: { firstName: profile.firstName, lastName: profile.lastName },
  },
  prompt: 17,
}
export const at = (revision: number): Conversation => ({ draft: { ...halfway.draft, revision } })

export type Store = Effect.Effect.Success<ReturnType<typeof makeFileDraftStore>>

/** The draft store alone over `dir` (opened as the bot opens it), with what it logged. */
export const withDrafts = async <A>(
  dir: string,
  use: (drafts: Store) => Effect.Effect<A, unknown>,
  maxAgeDays = 7,
) => {
  const logs: Array<string> = []
  const logger = Logger.make(
    ({ message }) => void logs.push((message as ReadonlyArray<unknown>).map(String).join(" ")),
  )
  const result = await Effect.runPromise(
    Effect.scoped(Effect.flatMap(makeFileDraftStore({ maxAgeDays }), use)).pipe(
      Effect.provide(
        Layer.merge(
          UsersDirectoryLive(dir, { subdirectories: [DRAFTS_FOLDER] }),
          Logger.replace(Logger.defaultLogger, logger),
        ),
      ),
    ),
  )
  return { result, logs }
}

export const journalLines = async (dir: string) =>
  (await readFile(draftJournalPath(dir), "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line))

export const revisionOf = (found: Option.Option<Conversation>) => Option.getOrThrow(found).draft.revision
