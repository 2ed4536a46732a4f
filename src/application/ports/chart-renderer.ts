import { Context, type Effect, Schema } from "effect"

/** A chart as data: a Vega-Lite specification, plain JSON (https://vega.github.io/vega-lite/). */
export type ChartSpec = Readonly<Record<string, unknown>>

/** The chart could not be drawn (a missing or damaged font, the renderer failed). */
export class ChartError extends Schema.TaggedError<ChartError>()("ChartError", { detail: Schema.String }) {}

/** Turns chart specifications into pictures. */
export class ChartRenderer extends Context.Tag("ChartRenderer")<
  ChartRenderer,
  { readonly render: (spec: ChartSpec) => Effect.Effect<Uint8Array, ChartError> }
>() {}
