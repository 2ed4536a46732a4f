import { randomBytes } from "node:crypto"
import { Effect, Layer } from "effect"
import { Ids } from "../../application/ports/ids.ts"

// Crockford-like alphabet: no 0/O or 1/I/L to confuse when a student reads the ID aloud.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

export const randomId = (length = 8): string =>
  Array.from(randomBytes(length), (byte) => ALPHABET[byte % ALPHABET.length]).join("")

export const RandomIds = Layer.succeed(Ids, { next: Effect.sync(() => randomId()) })
