/** Byte order mark: Excel reads the file as UTF-8 only with it, and Persian then shows as Persian. */
export const BOM = "\uFEFF"

/**
 * A spreadsheet runs a cell that begins with = + - @ (or tab / carriage return) as a formula; a leading
 * apostrophe makes it plain text (OWASP's advice for CSV injection).
 */
export const neutralise = (cell: string): string => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)

const quote = (cell: string): string => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)

export type Cell = string | number | boolean | Date | undefined

const show = (cell: Cell): string => {
  if (cell === undefined) return ""
  if (cell instanceof Date) return cell.toISOString()
  return String(cell)
}

/** RFC 4180 text (CRLF line ends) with a BOM; every cell neutralised, then quoted when needed. */
export const toCsv = (header: ReadonlyArray<string>, rows: Iterable<ReadonlyArray<Cell>>): string => {
  const lines = [header.map((cell) => quote(neutralise(cell))).join(",")]
  for (const row of rows) lines.push(row.map((cell) => quote(neutralise(show(cell)))).join(","))
  return `${BOM}${lines.join("\r\n")}\r\n`
}
