/** What a histogram's child does: observe a value. */
type Observing = { readonly observe: (value: number) => void }

/**
 * A histogram's children by two label values, bound on first use, each counting the observations it took:
 * an observation then makes no label object and no label hash (prom-client's per-call work), and a counter
 * of the same events can be read from the counts at scrape time. Cardinality is the metric's own (kinds,
 * methods, outcomes, at most 200 use cases), so the maps stay small.
 */
export const bindPairs = (bind: (first: string, second: string) => Observing) => {
  const byFirst = new Map<string, Map<string, { readonly child: Observing; count: number }>>()
  return {
    observe: (first: string, second: string, value: number): void => {
      let bySecond = byFirst.get(first)
      if (bySecond === undefined) {
        bySecond = new Map()
        byFirst.set(first, bySecond)
      }
      let bound = bySecond.get(second)
      if (bound === undefined) {
        bound = { child: bind(first, second), count: 0 }
        bySecond.set(second, bound)
      }
      bound.count++
      bound.child.observe(value)
    },
    /** Every pair of label values observed so far, with its count. */
    *counts(): Iterable<readonly [string, string, number]> {
      for (const [first, bySecond] of byFirst)
        for (const [second, { count }] of bySecond) yield [first, second, count]
    },
  }
}

export type BoundPairs = ReturnType<typeof bindPairs>

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
