import { resolve } from "node:path"
import { Console, Context, Effect, Layer, Option, Redacted } from "effect"
import type { Route } from "../src/adapters/http/server.ts"
import { BotApiLive } from "../src/adapters/telegram/resilient-bot-api.ts"
import { type BotApiEmulator, startBotApiEmulator } from "./bot-api-emulator.ts"
import { createChangeFeed } from "./changes.ts"
import { PAGE_PATH, pageRoutes } from "./page-routes.ts"
import { createPersonas, PRETEND_ADMIN_ID } from "./personas.ts"

/**
 * The playground: with no BOT_TOKEN, `npm start` runs the bot for real — same adapters, same undici client,
 * same long polling — against the built-in Bot API emulator on 127.0.0.1, and serves a chat page on the
 * bot's HTTP server where a person acts as a pretend student or admin.
 */
export class Playground extends Context.Tag("Playground")<
  Playground,
  { readonly emulator: BotApiEmulator; readonly routes: ReadonlyArray<Route> }
>() {}

/** Loopback only: whoever opens the page can act as an admin. */
export const PLAYGROUND_HOST = "127.0.0.1"

type Settings = {
  readonly botToken: Option.Option<unknown>
  readonly adminIds: ReadonlyArray<number>
  readonly forcePolling: boolean
  readonly paymentCardNumber: Option.Option<Redacted.Redacted<string>>
  readonly paymentPayeeName: string
}

/** A card number no bank issues (fails the Luhn check), so the paid-course flow can be tried. */
export const PRETEND_CARD_NUMBER = "6037990000000000"

/**
 * Settings as the playground needs them when there is no token: long polling (the emulator is not reachable
 * for a webhook), and a pretend admin when ADMIN_USER_IDS is empty, so the admin side can be tried too;
 * likewise a pretend card number when PAYMENT_CARD_NUMBER is empty, so orders and receipts can be tried.
 */
export const playgroundSettings = <S extends Settings>(settings: S): S =>
  Option.isSome(settings.botToken)
    ? settings
    : {
        ...settings,
        forcePolling: true,
        adminIds: settings.adminIds.length > 0 ? settings.adminIds : [PRETEND_ADMIN_ID],
        paymentCardNumber: Option.orElse(settings.paymentCardNumber, () =>
          Option.some(Redacted.make(PRETEND_CARD_NUMBER)),
        ),
        paymentPayeeName: settings.paymentPayeeName === "" ? "نمونهٔ آزمایشی" : settings.paymentPayeeName,
      }

export const PlaygroundLive = (options: {
  readonly adminIds: ReadonlyArray<number>
  readonly usersDir: string
  /** Seconds the page's long poll is held open (default 20). */
  readonly holdSeconds?: number
}) =>
  Layer.scoped(
    Playground,
    Effect.gen(function* () {
      const emulator = yield* Effect.acquireRelease(
        Effect.promise(() =>
          startBotApiEmulator({
            host: PLAYGROUND_HOST,
            botName: "ربات ثبت‌نام استاد حاتمی",
            botUsername: "ostad_hatami_playground_bot",
          }),
        ),
        (emulator) => Effect.promise(() => emulator.close()),
      )
      // released first: pages waiting for news get their answer before the server goes
      const changes = yield* Effect.acquireRelease(
        Effect.sync(() => createChangeFeed(emulator.onChange)),
        (changes) => Effect.sync(() => changes.close()),
      )
      const personas = createPersonas(options.adminIds)
      yield* Effect.logInfo(`Bot API emulator listening on ${emulator.url}`)
      return Playground.of({
        emulator,
        routes: pageRoutes({
          emulator,
          personas,
          changes,
          usersDir: options.usersDir,
          ...(options.holdSeconds === undefined ? {} : { holdSeconds: options.holdSeconds }),
        }),
      })
    }),
  )

/** The bot's real Bot API client, pointed at the playground's emulator. */
export const PlaygroundBotApi = Layer.unwrapEffect(
  Effect.map(Playground, ({ emulator }) =>
    BotApiLive({ token: Redacted.make(emulator.token), apiRoot: emulator.url }),
  ),
)

/** What the HTTP server adds when the playground runs: the page's routes, on the loopback interface. */
export const playgroundServer: Effect.Effect<{
  readonly routes: ReadonlyArray<Route>
  readonly host?: string
}> = Effect.map(Effect.serviceOption(Playground), (playground) =>
  Option.match(playground, {
    onNone: () => ({ routes: [] }),
    onSome: ({ routes }) => ({ routes, host: PLAYGROUND_HOST }),
  }),
)

/** Prints where to open the playground (a plain line, whatever the log format). */
export const announcePlayground = (port: number, usersDir: string): Effect.Effect<void> =>
  Effect.serviceOption(Playground).pipe(
    Effect.flatMap((playground) =>
      Option.isNone(playground)
        ? Effect.void
        : Console.log(
            [
              "",
              "  No BOT_TOKEN: running the playground — the real bot against a built-in Telegram stand-in.",
              `  Open http://${PLAYGROUND_HOST}:${port}${PAGE_PATH} in a browser.`,
              `  Students are saved in ${resolve(usersDir)}`,
              "",
            ].join("\n"),
          ),
    ),
  )
