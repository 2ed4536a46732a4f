import { Cause, HashMap, Layer, Logger, LogLevel } from "effect"
import { Logger as TsLogger } from "tslog"

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
  /** JSON lines (production, not a terminal) or pretty lines (a developer's terminal). */
  readonly json: boolean
}

const render = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value))

/** Effect's logger, written through tslog. */
export const makeTslogLogger = (settings: LogSettings) => {
  const tslog = new TsLogger<unknown>({
    name: "bot",
    type: settings.json ? "json" : "pretty",
    minLevel: 0,
    hideLogPositionForProduction: true,
  })
  return Logger.make(({ logLevel, message, annotations, cause, spans: _spans }) => {
    const parts = Array.isArray(message) ? message : [message]
    const fields: Record<string, unknown> = Object.fromEntries(HashMap.toEntries(annotations))
    const text = parts.map(render).join(" ")
    const extra = Cause.isEmpty(cause) ? fields : { ...fields, cause: Cause.pretty(cause) }
    const args = Object.keys(extra).length === 0 ? [text] : [text, extra]
    if (LogLevel.greaterThanEqual(logLevel, LogLevel.Error)) tslog.error(...args)
    else if (LogLevel.greaterThanEqual(logLevel, LogLevel.Warning)) tslog.warn(...args)
    else if (LogLevel.greaterThanEqual(logLevel, LogLevel.Info)) tslog.info(...args)
    else tslog.debug(...args)
  })
}

export const TslogLogging = (settings: LogSettings) =>
  Layer.merge(
    Logger.replace(Logger.defaultLogger, makeTslogLogger(settings)),
    Logger.minimumLogLevel(EFFECT_LEVEL[settings.level]),
  )
