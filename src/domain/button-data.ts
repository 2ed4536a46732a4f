import { Option, Schema } from "effect"

/**
 * One field of button data: the characters it may hold on the button (a regular expression's source), the
 * Schema that reads the field's value from them, and how a value is written (a plain function: buttons are
 * written many at a time — a page of cities — from values already typed, so writing skips the Schema;
 * the codec's tests read back everything written).
 */
export type DataField<A> = {
  readonly pattern: string
  readonly schema: Schema.Schema<A, string>
  readonly write: (value: A) => string
}

/** A field of text: the characters are the value. */
export const textField = (pattern: string): DataField<string> => ({
  pattern,
  schema: Schema.String,
  write: (value) => value,
})

/** A field holding one of a Schema's values (literals, a union of them), written as itself. */
export const literalField = <A extends string>(pattern: string, schema: Schema.Schema<A>): DataField<A> => ({
  pattern,
  schema: Schema.compose(Schema.String, schema, { strict: false }),
  write: (value) => value,
})

/** A field holding a whole number, written in Latin digits. */
export const numberField = (digits: number): DataField<number> => ({
  pattern: `\\d{1,${digits}}`,
  schema: Schema.NumberFromString.pipe(Schema.int()),
  write: String,
})

type Tagged = { readonly _tag: string }
type Of<A extends Tagged, T extends A["_tag"]> = Extract<A, { readonly _tag: T }>
type FieldsOf<A extends Tagged, T extends A["_tag"]> = Exclude<keyof Of<A, T>, "_tag"> & string
type FieldName<A extends Tagged> = A extends unknown ? Exclude<keyof A, "_tag"> & string : never
type ValueOf<A extends Tagged, F extends string> = A extends unknown
  ? F extends keyof A
    ? A[F]
    : never
  : never
type Slots<S extends string> = S extends `${string}{${infer F}}${infer Rest}` ? F | Slots<Rest> : never
/** The template itself when its {slots} are exactly the action's fields; `never` (a compile error) otherwise. */
type Checked<A extends Tagged, T extends A["_tag"], S extends string> = [Slots<S>] extends [FieldsOf<A, T>]
  ? [FieldsOf<A, T>] extends [Slots<S>]
    ? S
    : never
  : never

export type ButtonCodec<A extends Tagged> = {
  /** The action a button's data stands for; undefined for data no template reads (a stale or forged button). */
  readonly read: (data: string) => A | undefined
  readonly write: (action: A) => string
}

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * Button data read and written from one table of templates, one per action: literal text with the action's
 * fields in braces (`"r:why:{reason}:{orderId}:{receiptId}"`). A template must name exactly its action's
 * fields (checked by the compiler); each field's characters and value come from `fields`. Data is read
 * only when it matches a template exactly and every field decodes.
 */
export const buttonCodec =
  <A extends Tagged>() =>
  <const Templates extends { readonly [T in A["_tag"]]: string }>(
    fields: { readonly [F in FieldName<A>]: DataField<ValueOf<A, F>> },
    templates: Templates & { readonly [T in A["_tag"]]: Checked<A, T, Templates[T]> },
  ): ButtonCodec<A> => {
    const fieldOf = (name: string) =>
      (fields as Record<string, DataField<unknown>>)[name] as DataField<unknown>
    const readers = Object.entries(templates as Record<string, string>).map(([tag, template]) => {
      const names: Array<string> = []
      const source = template.replace(/\{(\w+)\}|[^{]+/g, (part, name: string | undefined) => {
        if (name === undefined) return literally(part)
        names.push(name)
        return `(${fieldOf(name).pattern})`
      })
      const pattern = new RegExp(`^${source}$`)
      const decoders = names.map((name) => Schema.decodeUnknownOption(fieldOf(name).schema))
      return (data: string): A | undefined => {
        const match = pattern.exec(data)
        if (match === null) return undefined
        const action: Record<string, unknown> = { _tag: tag }
        for (const [index, name] of names.entries()) {
          const value = (decoders[index] as (input: unknown) => Option.Option<unknown>)(match[index + 1])
          if (Option.isNone(value)) return undefined
          action[name] = value.value
        }
        return action as A
      }
    })
    // each template as its literal parts and fields in turn: ["c:show:", "courseId"] → "c:show:" + courseId
    const writers = new Map(
      Object.entries(templates as Record<string, string>).map(([tag, template]) => {
        const parts = template.split(/\{(\w+)\}/)
        const writes = parts.map((part, index) => (index % 2 === 0 ? undefined : fieldOf(part).write))
        return [
          tag,
          (action: Record<string, unknown>) => {
            let data = ""
            for (let index = 0; index < parts.length; index++) {
              const part = parts[index] as string
              const write = writes[index]
              data += write === undefined ? part : write(action[part])
            }
            return data
          },
        ] as const
      }),
    )
    return {
      read: (data) => {
        for (const read of readers) {
          const action = read(data)
          if (action !== undefined) return action
        }
        return undefined
      },
      write: (action) => writers.get(action._tag)?.(action as unknown as Record<string, unknown>) ?? "",
    }
  }
