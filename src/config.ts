import { Config, ConfigError, Either, Option, Redacted } from "effect"
import { LOG_LEVELS, type LogLevelName } from "./adapters/logging/logger.ts"

/** Like Config.validate, but the error names the variable, so an operator knows what to fix. */
const check =
  <A>(name: string, message: string, valid: (value: A) => boolean) =>
  (config: Config.Config<A>): Config.Config<A> =>
    Config.mapOrFail(config, (value) =>
      valid(value) ? Either.right(value) : Either.left(ConfigError.InvalidData([name], message)),
    )

const positive = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.withDefault(fallback),
    check(name, "must be a whole number above 0", (n) => n > 0),
  )

const isLogLevel = (text: string): text is LogLevelName =>
  (LOG_LEVELS as ReadonlyArray<string>).includes(text)

const logLevel: Config.Config<LogLevelName> = Config.string("LOG_LEVEL").pipe(
  Config.withDefault("INFO"),
  Config.map((text) => (text.toUpperCase() === "WARN" ? "WARNING" : text.toUpperCase())),
  Config.mapOrFail((text) =>
    isLogLevel(text)
      ? Either.right(text)
      : Either.left(
          ConfigError.InvalidData(["LOG_LEVEL"], `must be one of ${LOG_LEVELS.join(", ")} (any case)`),
        ),
  ),
)

/** Where the bot keeps its data: files in USERS_DIR (one machine), or PostgreSQL (several replicas). */
export type StorageChoice =
  | { readonly kind: "files" }
  | { readonly kind: "postgres"; readonly url: Redacted.Redacted<string>; readonly poolSize: number }

const databaseUrl = Config.redacted("DATABASE_URL").pipe(
  check("DATABASE_URL", "must be a URL like postgres://user:password@host:5432/database", (url) =>
    /^postgres(?:ql)?:\/\/\S+$/.test(Redacted.value(url)),
  ),
)

const storage: Config.Config<StorageChoice> = Config.all({
  kind: Config.string("STORAGE").pipe(
    Config.withDefault("files"),
    Config.map((text) => text.trim().toLowerCase()),
    check("STORAGE", "must be files or postgres", (kind) => kind === "files" || kind === "postgres"),
  ),
  url: Config.option(databaseUrl),
  poolSize: positive("DATABASE_POOL_SIZE", 10),
}).pipe(
  Config.mapOrFail(({ kind, url, poolSize }): Either.Either<StorageChoice, ConfigError.ConfigError> => {
    if (kind === "files") return Either.right({ kind: "files" })
    return Option.match(url, {
      onNone: () =>
        Either.left(ConfigError.MissingData(["DATABASE_URL"], "is required when STORAGE=postgres")),
      onSome: (value) => Either.right({ kind: "postgres", url: value, poolSize }),
    })
  }),
)

export const PUBLIC_API_ROOT = "https://api.telegram.org"

/** Telegram's own servers only deliver webhooks over https; a local Bot API server delivers to http too. */
const webhookSchemeAllowed = (settings: {
  readonly apiRoot: string
  readonly webhookUrl: Option.Option<string>
}): Either.Either<void, ConfigError.ConfigError> =>
  Option.isSome(settings.webhookUrl) &&
  settings.webhookUrl.value.startsWith("http://") &&
  new URL(settings.apiRoot).host === new URL(PUBLIC_API_ROOT).host
    ? Either.left(
        ConfigError.InvalidData(
          ["WEBHOOK_URL"],
          "must start with https:// — Telegram's public Bot API delivers webhooks over https only " +
            "(http:// works with your own Bot API server, named by TELEGRAM_API_ROOT)",
        ),
      )
    : Either.right(undefined)

/** Every environment variable the bot reads, validated in one place. */
export const AppConfig = Config.all({
  botToken: Config.option(
    Config.redacted("BOT_TOKEN").pipe(
      check("BOT_TOKEN", "looks wrong: a bot token looks like 123456789:AAE…", (token) =>
        /^\d+:[\w-]+$/.test(Redacted.value(token)),
      ),
    ),
  ),
  apiRoot: Config.string("TELEGRAM_API_ROOT").pipe(
    Config.withDefault(PUBLIC_API_ROOT),
    check(
      "TELEGRAM_API_ROOT",
      "must be a URL starting with http:// or https://",
      (url) => /^https?:\/\/[^\s/]+/.test(url) && URL.canParse(url),
    ),
  ),
  adminIds: Config.array(Config.integer(), "ADMIN_USER_IDS").pipe(
    Config.withDefault([] as ReadonlyArray<number>),
  ),
  paymentCardNumber: Config.option(
    Config.redacted("PAYMENT_CARD_NUMBER").pipe(
      Config.map((card) => Redacted.make(Redacted.value(card).replace(/[\s-]/g, ""))),
      check("PAYMENT_CARD_NUMBER", "must be 16 digits", (card) => /^\d{16}$/.test(Redacted.value(card))),
    ),
  ),
  paymentPayeeName: Config.string("PAYMENT_PAYEE_NAME").pipe(Config.withDefault("")),
  maxRequestsPerMinute: positive("MAX_REQUESTS_PER_MINUTE", 10),
  rateLimitBurst: positive("RATE_LIMIT_BURST", 20),
  cacheTtlSeconds: positive("CACHE_TTL_SECONDS", 300),
  cacheMaxEntries: positive("CACHE_MAX_ENTRIES", 10_000),
  cleanupIntervalSeconds: positive("CLEANUP_INTERVAL_SECONDS", 300),
  draftMaxAgeDays: positive("DRAFT_MAX_AGE_DAYS", 7),
  usersDir: Config.string("USERS_DIR").pipe(Config.withDefault("users")),
  // Unset: inside USERS_DIR (src/adapters/files/data-layout.ts), so one directory holds a bot's data.
  recordsDir: Config.option(Config.string("RECORDS_DIR")),
  catalogFile: Config.string("CATALOG_FILE").pipe(Config.withDefault("data/catalog.json")),
  announceIntervalSeconds: positive("ANNOUNCE_INTERVAL_SECONDS", 60),
  broadcastPerSecond: positive("BROADCAST_PER_SECOND", 25).pipe(
    check(
      "BROADCAST_PER_SECOND",
      "must be 1–25 (Telegram allows about 30 messages a second in all)",
      (n) => n <= 25,
    ),
  ),
  storage,
  maxUpdatesInFlight: positive("MAX_UPDATES_IN_FLIGHT", 64),
  shutdownTimeoutSeconds: positive("SHUTDOWN_TIMEOUT_SECONDS", 10),
  logLevel,
  logDir: Config.option(Config.string("LOG_DIR")),
  // Unset: pretty lines, JSON in production (NODE_ENV=production).
  logFormat: Config.option(
    Config.string("LOG_FORMAT").pipe(
      Config.map((text) => text.trim().toLowerCase()),
      Config.mapOrFail(
        (text): Either.Either<"pretty" | "json", ConfigError.ConfigError> =>
          text === "pretty" || text === "json"
            ? Either.right(text)
            : Either.left(ConfigError.InvalidData(["LOG_FORMAT"], "must be pretty or json")),
      ),
    ),
  ),
  webhookUrl: Config.option(
    Config.string("WEBHOOK_URL").pipe(
      check(
        "WEBHOOK_URL",
        "must be a full URL, e.g. https://bot.example.com",
        (url) => /^https?:\/\/\S+$/.test(url) && URL.canParse(url),
      ),
    ),
  ),
  railwayPublicDomain: Config.option(
    Config.string("RAILWAY_PUBLIC_DOMAIN").pipe(
      check("RAILWAY_PUBLIC_DOMAIN", "must be a host name only, e.g. bot.up.railway.app", (host) =>
        /^[\w.-]+$/.test(host),
      ),
    ),
  ),
  forcePolling: Config.boolean("FORCE_POLLING").pipe(Config.withDefault(false)),
  // NODE_ENV=production: a missing BOT_TOKEN is an error rather than a reason to open the playground.
  production: Config.string("NODE_ENV").pipe(
    Config.withDefault(""),
    Config.map((env) => env === "production"),
  ),
  port: Config.integer("PORT").pipe(
    Config.withDefault(8080),
    // 0 picks any free port (tests); the port in use is logged at start.
    check(
      "PORT",
      "must be a port number 1–65535 (or 0 for any free port)",
      (port) => port >= 0 && port <= 65535,
    ),
  ),
}).pipe(Config.mapOrFail((config) => Either.map(webhookSchemeAllowed(config), () => config)))
export type AppConfig = Config.Config.Success<typeof AppConfig>

/** `npm run import -- USERS_DIR`: the database a file deployment is copied into. */
export const ImportConfig = Config.all({
  url: databaseUrl,
  poolSize: positive("DATABASE_POOL_SIZE", 10),
})

/** Webhook mode when a public address is configured and polling is not forced. */
export const webhookAddress = (config: AppConfig): Option.Option<string> =>
  config.forcePolling
    ? Option.none()
    : Option.orElse(config.webhookUrl, () =>
        Option.map(config.railwayPublicDomain, (host) => `https://${host}`),
      )

/** One line per problem, naming the variable: what an operator needs to fix it. */
export const describeConfigError = (error: ConfigError.ConfigError): string =>
  ConfigError.reduceWithContext(error, undefined, {
    andCase: (_, left: string, right: string) => `${left}\n${right}`,
    orCase: (_, left: string, right: string) => `${left}\n${right}`,
    invalidDataCase: (_, path, message) => `  ${path.join(".")}: ${message}`,
    missingDataCase: (_, path, message) => `  ${path.join(".")}: ${message}`,
    sourceUnavailableCase: (_, path, message) => `  ${path.join(".")}: ${message}`,
    unsupportedCase: (_, path, message) => `  ${path.join(".")}: ${message}`,
  })
