import { Schema } from "effect"

/** A record's JSON column: encoded with its Schema on the way in, decoded (or a clear error) on the way out. */
export const codec = <A, I>(schema: Schema.Schema<A, I>, what: string) => {
  const encode = Schema.encodeSync(schema)
  const decode = Schema.decodeUnknownEither(schema)
  return {
    encode: (value: A) => encode(value) as never,
    decode: (raw: unknown): A => {
      const decoded = decode(raw)
      if (decoded._tag === "Left") throw new Error(`${what} does not decode: ${decoded.left.message}`)
      return decoded.right
    },
  }
}

/** Advisory lock namespaces (the first key of the two-key form). */
export const LOCKS = { course: 11, broadcastRunner: 12 } as const
