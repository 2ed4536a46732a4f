import { Context, type Effect } from "effect"

/** Short identifiers that a student can read to support, e.g. for an unexpected error. */
export class Ids extends Context.Tag("Ids")<Ids, { readonly next: Effect.Effect<string> }>() {}
