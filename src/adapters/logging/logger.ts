import { formatWithOptions } from "node:util"
import {
  Cause,
  Context,
  Effect,
  FiberRef,
  FiberRefs,
  HashMap,
  Layer,
  Logger,
  LogLevel,
  Option,
  Tracer,
} from "effect"
import { Logger as TsLogger } from "tslog"
import { CurrentUseCase } from "../../application/common/use-case.ts"
import { LogSinks, LogSinksLive, type LogSinksService, type SinkSettings } from "./log-sinks.ts"

export const LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR"] as const
export type LogLevelName = (typeof LOG_LEVELS)[number]

const EFFECT_LEVEL: Record<LogLevelName, LogLevel.LogLevel> = {
  DEBUG: LogLevel.Debug,
  INFO: LogLevel.Info,
  WARNING: LogLevel.Warning,
  ERROR: LogLevel.Error,
}

export type LogSettings = {
  readonly level: LogLevelName
  /** JSON lines (production) or pretty lines (anywhere else) on stdout; bot.log is always JSON. */
  readonly json: boolean
  /** Colours in pretty lines: only for a terminal, never into a pipe or a file. */
  readonly colors?: boolean
}

/** LOG_FORMAT when set; else JSON lines in production (NODE_ENV=production) and pretty lines elsewhere. */
export const wantsJson = (format: Option.Option<"pretty" | "json">, nodeEnv: string | undefined): boolean =>
  Option.getOrElse(format, () => (nodeEnv === "production" ? "json" : "pretty")) === "json"

const render = (value: unknown): string => (typeof value === "string" ? value : safeJson(value))

const safeJson = (value: unknown): string => {
  const seen = new Set<unknown>()
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner === "bigint") return inner.toString()
    if (typeof inner === "object" && inner !== null) {
      if (seen.has(inner)) return "[Circular]"
      seen.add(inner)
    }
    return inner
  })
}

type LogObject = Record<string, unknown>

/** One JSON line per log call: time, level, msg, then the annotations. Same shape on stdout and in bot.log. */
const jsonLine = (logObj: LogObject): string => {
  const meta = logObj._meta as { readonly date?: unknown; readonly logLevelName?: unknown } | undefined
  const fields = typeof logObj[1] === "object" && logObj[1] !== null ? logObj[1] : {}
  return safeJson({
    time: meta?.date instanceof Date ? meta.date.toISOString() : new Date().toISOString(),
    level: meta?.logLevelName,
    msg: logObj[0],
    ...fields,
  })
}

/** The use case running (application/common/use-case.ts), else the innermost tracing span. */
const currentSpanName = (fiberRefs: FiberRefs.FiberRefs): string | undefined => {
  const useCase = FiberRefs.getOrDefault(fiberRefs, CurrentUseCase)
  if (useCase !== undefined) return useCase
  const context = FiberRefs.getOrDefault(fiberRefs, FiberRef.currentContext)
  const span = Context.getOption(context, Tracer.ParentSpan)
  return Option.isSome(span) && span.value._tag === "Span" ? span.value.name : undefined
}

/**
 * Effect's logger, written through tslog: pretty or JSON lines on stdout, and every line as JSON in
 * bot.log. Lines leave only through the sinks, which redact them.
 */
export const makeTslogLogger = (settings: LogSettings, sinks: LogSinksService) => {
  const tslog = new TsLogger<LogObject>({
    name: "bot",
    type: settings.json ? "json" : "pretty",
    minLevel: 0,
    hideLogPositionForProduction: true,
    stylePrettyLogs: settings.colors ?? false,
    overwrite: {
      transportJSON: (logObj) => sinks.stdout(jsonLine(logObj as LogObject)),
      transportFormatted: (meta, args, errors, options) => {
        const trailer = (errors.length > 0 && args.length > 0 ? "\n" : "") + errors.join("\n")
        const inspect = { ...options.prettyInspectOptions, colors: options.stylePrettyLogs }
        sinks.stdout(meta + formatWithOptions(inspect, ...args) + trailer)
      },
    },
  })
  tslog.attachTransport((logObj) => sinks.bot(jsonLine(logObj)))

  return Logger.make(({ logLevel, message, annotations, cause, context }) => {
    const parts = Array.isArray(message) ? message : [message]
    const fields: Record<string, unknown> = Object.fromEntries(HashMap.toEntries(annotations))
    const span = currentSpanName(context)
    if (span !== undefined) fields.span = span
    if (!Cause.isEmpty(cause)) fields.cause = Cause.pretty(cause)
    const text = parts.map(render).join(" ")
    const args: [string, ...Array<unknown>] = Object.keys(fields).length === 0 ? [text] : [text, fields]
    if (LogLevel.greaterThanEqual(logLevel, LogLevel.Error)) tslog.error(...args)
    else if (LogLevel.greaterThanEqual(logLevel, LogLevel.Warning)) tslog.warn(...args)
    else if (LogLevel.greaterThanEqual(logLevel, LogLevel.Info)) tslog.info(...args)
    else tslog.debug(...args)
  })
}

/** Effect's logger over tslog and the sinks the layer is given. */
export const TslogLogger = (settings: LogSettings) =>
  Layer.merge(
    Logger.replaceEffect(
      Logger.defaultLogger,
      Effect.map(LogSinks, (sinks) => makeTslogLogger(settings, sinks)),
    ),
    Logger.minimumLogLevel(EFFECT_LEVEL[settings.level]),
  )

/** The whole logging set-up: sinks (stdout, bot.log, performance.log) and Effect's logger over tslog. */
export const TslogLogging = (settings: LogSettings & SinkSettings) =>
  TslogLogger(settings).pipe(Layer.provideMerge(LogSinksLive(settings)))
