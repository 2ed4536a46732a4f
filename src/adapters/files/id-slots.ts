/**
 * A map from student id to slot (a row of the student index's columns), in one Int32Array: open addressing
 * with linear probing, at most half full, each cell holding slot + 1 (0: empty). The ids themselves are not
 * stored twice: `idAt(slot)` reads them from the index's id column, which must hold a slot's id before the
 * slot is set here. 100 000 students take 1 MB, where a `Map<number, number>` took ~4 MB.
 */
export const makeIdSlots = (idAt: (slot: number) => number) => {
  let cells = new Int32Array(1024)
  let size = 0

  /** A 32-bit mix of an integer id of up to 53 bits (Telegram's ids exceed 2³²). */
  const hash = (id: number): number => {
    let h = (id >>> 0) ^ Math.imul(Math.floor(id / 0x1_0000_0000), 0x9e3779b1)
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
    return h ^ (h >>> 16)
  }
  /** The cell holding `id`, or the empty cell where it would go. */
  const cellOf = (id: number): number => {
    const mask = cells.length - 1
    let cell = hash(id) & mask
    for (;;) {
      const entry = cells[cell] as number
      if (entry === 0 || idAt(entry - 1) === id) return cell
      cell = (cell + 1) & mask
    }
  }
  const rehash = (length: number) => {
    const old = cells
    cells = new Int32Array(length)
    for (const entry of old) if (entry !== 0) cells[cellOf(idAt(entry - 1))] = entry
  }

  return {
    get: (id: number): number | undefined => {
      const entry = cells[cellOf(id)] as number
      return entry === 0 ? undefined : entry - 1
    },
    /** Adds `id` at `slot`, or moves it there. */
    set: (id: number, slot: number) => {
      const cell = cellOf(id)
      if (cells[cell] === 0) size++
      cells[cell] = slot + 1
      if (size * 2 > cells.length) rehash(cells.length * 2)
    },
    delete: (id: number) => {
      const mask = cells.length - 1
      let hole = cellOf(id)
      if (cells[hole] === 0) return
      cells[hole] = 0
      size--
      // Later cells of the same run move back into the hole when their home cell is not past it, so that
      // no lookup stops at the hole before reaching them.
      for (let cell = (hole + 1) & mask; cells[cell] !== 0; cell = (cell + 1) & mask) {
        const entry = cells[cell] as number
        const home = hash(idAt(entry - 1)) & mask
        if (((cell - home) & mask) >= ((cell - hole) & mask)) {
          cells[hole] = entry
          cells[cell] = 0
          hole = cell
        }
      }
    },
    /** Room for `count` ids without rehashing (a snapshot's students, before they are set). */
    reserve: (count: number) => {
      let length = cells.length
      while (count * 2 > length) length *= 2
      if (length > cells.length) rehash(length)
    },
    clear: () => {
      cells = new Int32Array(1024)
      size = 0
    },
    size: (): number => size,
  }
}
