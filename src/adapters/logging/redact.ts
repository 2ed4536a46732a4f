/**
 * The one place where secrets and personal data leave log lines: every sink (stdout, bot.log,
 * performance.log) writes only what `redact` returns.
 */

// Latin, Persian (۰–۹) and Arabic-Indic (٠–٩) digits: students type all three.
const DIGIT = "[0-9\\u06F0-\\u06F9\\u0660-\\u0669]"
const ZERO = "[0\\u06F0\\u0660]"
const EIGHT = "[8\\u06F8\\u0668]"
const NINE = "[9\\u06F9\\u0669]"
/**
 * Up to two separators between digits: "0912 123-4567", "(0912) 123 4567", "+98 912…"; a tab or
 * newline typed between digits is an escaped \t or \n by the time it is in a JSON line.
 */
const SEP = "(?:[\\s\\u200c()\\-]|\\\\[tnr]){0,2}"

/** An Iranian mobile in any form the bot accepts: +98…, 0098…, 98…, 09…, or the bare 9xxxxxxxxx. */
const PHONE = new RegExp(
  `(?<!${DIGIT})(?:(?:(?:\\+|${ZERO}${ZERO})${SEP}${NINE}${EIGHT}|${NINE}${EIGHT}|${ZERO})${SEP})?${NINE}(?:${SEP}${DIGIT}){9}(?!${DIGIT})`,
  "gu",
)

/** Sixteen digits, possibly in groups of four: a payment card number. */
const CARD = new RegExp(`(?<!${DIGIT})${DIGIT}{4}(?:${SEP}${DIGIT}{4}){3}(?!${DIGIT})`, "gu")

/** A Telegram bot token: the bot id, a colon, and the secret. */
const BOT_TOKEN = /\d{5,}:[A-Za-z0-9_-]{20,}/g

export type Redactor = (line: string) => string

/**
 * Builds the redactor. `secrets` are known values (the configured bot token and card number) that
 * are removed wherever they appear, whatever their shape; the patterns catch the rest.
 */
export const makeRedactor = (secrets: ReadonlyArray<string> = []): Redactor => {
  const known = secrets
    .flatMap((secret) => {
      // The token's secret half alone is just as dangerous as the whole token.
      const afterColon = secret.includes(":") ? secret.slice(secret.indexOf(":") + 1) : ""
      return [secret, afterColon]
    })
    .filter((secret) => secret.length >= 6)
    .sort((a, b) => b.length - a.length)
  return (line) => {
    let clean = line
    for (const secret of known) if (clean.includes(secret)) clean = clean.split(secret).join("[secret]")
    return clean.replace(BOT_TOKEN, "[token]").replace(CARD, "[card]").replace(PHONE, "[phone]")
  }
}
