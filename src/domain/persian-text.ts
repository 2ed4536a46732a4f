/** Arabic code points Persian keyboards often produce instead of the Persian letters. */
const ARABIC_TO_PERSIAN: Readonly<Record<string, string>> = { ي: "ی", ى: "ی", ك: "ک", ة: "ه" }

/** Unifies Arabic ي/ك with Persian ی/ک, drops bidi marks and collapses white space. */
export const normalizePersian = (input: string): string =>
  input
    .replace(/[يىكة]/g, (letter) => ARABIC_TO_PERSIAN[letter] ?? letter)
    .replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, "")
    .replace(/\s+/g, " ")
    .trim()
