import { Context, type Effect } from "effect"

/** The wall clock, as a port so that tests can fix the date. */
export class Clock extends Context.Tag("Clock")<Clock, { readonly now: Effect.Effect<Date> }>() {}
