import { Option } from "effect"
import { editProfile } from "../../domain/registration.ts"
import type { Student } from "../../domain/student.ts"
import type { Who } from "../common/incoming.ts"
import { useCase } from "../common/use-case.ts"
import { DraftStore } from "../ports/draft-store.ts"
import { askCurrent } from "../registration/register.ts"

/** Opens the "which field?" question for a registered student (an edit in progress is asked again). */
export const beginEdit = useCase("Profile.edit")(function* (who: Who, student: Student) {
  const drafts = yield* DraftStore
  const existing = (yield* drafts.get(who.userId)).conversation
  const conversation = Option.getOrElse(existing, () => ({ draft: editProfile(student.profile) }))
  yield* askCurrent(who, conversation)
})
