/** One label combination of a metric, bound once, with the observations it took. */
type Bound<C> = { readonly child: C; readonly values: readonly [string, string]; count: number }

/**
 * A metric's children by two label values, bound on first use: an observation then makes no label object
 * and no label hash (prom-client's per-call work). Cardinality is the metric's own (kinds, methods,
 * outcomes, at most 200 use cases), so the maps stay small.
 */
export const bindPairs = <C>(bind: (first: string, second: string) => C) => {
  const byFirst = new Map<string, Map<string, Bound<C>>>()
  return {
    get: (first: string, second: string): Bound<C> => {
      let bySecond = byFirst.get(first)
      if (bySecond === undefined) {
        bySecond = new Map()
        byFirst.set(first, bySecond)
      }
      let bound = bySecond.get(second)
      if (bound === undefined) {
        bound = { child: bind(first, second), values: [first, second], count: 0 }
        bySecond.set(second, bound)
      }
      return bound
    },
    *all(): Iterable<Bound<C>> {
      for (const bySecond of byFirst.values()) yield* bySecond.values()
    },
  }
}

/** A metric's children by one label value, bound on first use (see bindPairs). */
export const bindOne = <C>(bind: (value: string) => C) => {
  const children = new Map<string, C>()
  return (value: string): C => {
    let child = children.get(value)
    if (child === undefined) {
      child = bind(value)
      children.set(value, child)
    }
    return child
  }
}
