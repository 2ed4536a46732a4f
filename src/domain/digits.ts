const PERSIAN_ZERO = 0x06f0
const ARABIC_ZERO = 0x0660

/** Maps Persian (۰–۹) and Arabic-Indic (٠–٩) digits to Latin ones; everything else is kept. */
export const toLatinDigits = (input: string): string =>
  input.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (digit) => {
    const code = digit.charCodeAt(0)
    return String(code >= PERSIAN_ZERO ? code - PERSIAN_ZERO : code - ARABIC_ZERO)
  })

/** Shows Latin digits as Persian ones, for text a student reads. */
export const toPersianDigits = (input: string | number): string =>
  String(input).replace(/\d/g, (digit) => String.fromCharCode(PERSIAN_ZERO + Number(digit)))
