import { readFile } from "node:fs/promises"
import { Effect, Layer, type Option, type Redacted, Schema } from "effect"
import { Shop } from "../../application/ports/shop.ts"
import { decodeCatalog } from "../../domain/catalog.ts"

/** The catalog file is missing or wrong: the bot does not start, and says what to fix. */
export class CatalogError extends Schema.TaggedError<CatalogError>()("CatalogError", {
  reason: Schema.String,
}) {}

export const loadCatalog = (path: string) =>
  Effect.tryPromise({
    try: async () => JSON.parse(await readFile(path, "utf8")) as unknown,
    catch: (error) =>
      new CatalogError({ reason: `${path}: ${error instanceof Error ? error.message : String(error)}` }),
  }).pipe(
    Effect.flatMap((raw) => {
      const decoded = decodeCatalog(raw)
      return decoded._tag === "Right"
        ? Effect.succeed(decoded.right)
        : Effect.fail(new CatalogError({ reason: `${path} is not a valid catalog:\n${decoded.left}` }))
    }),
  )

/** The Shop port from the operator's catalog file and the payment settings. */
export const ShopFromFile = (settings: {
  readonly catalogFile: string
  readonly cardNumber: Option.Option<Redacted.Redacted<string>>
  readonly payeeName: string
}) =>
  Layer.effect(
    Shop,
    Effect.map(loadCatalog(settings.catalogFile), (catalog) =>
      Shop.of({ catalog, payment: { cardNumber: settings.cardNumber, payeeName: settings.payeeName } }),
    ),
  )
