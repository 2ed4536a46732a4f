import type { UploadedFile } from "./emulator-types.ts"

export type Params = Readonly<Record<string, unknown>>

/** A refusal the emulator answers with `{ ok: false, error_code, description }`. */
export class ApiError extends Error {
  readonly code: number
  readonly description: string
  readonly retryAfter: number | undefined

  constructor(code: number, description: string, retryAfter?: number) {
    super(description)
    this.code = code
    this.description = description
    this.retryAfter = retryAfter
  }
}

export const badRequest = (reason: string): ApiError => new ApiError(400, `Bad Request: ${reason}`)

export type Envelope =
  | { readonly ok: true; readonly result: unknown }
  | {
      readonly ok: false
      readonly error_code: number
      readonly description: string
      readonly parameters?: { readonly retry_after: number }
    }

export const errorEnvelope = (error: ApiError): Envelope =>
  error.retryAfter === undefined
    ? { ok: false, error_code: error.code, description: error.description }
    : {
        ok: false,
        error_code: error.code,
        description: error.description,
        parameters: { retry_after: error.retryAfter },
      }

/** Bot API parameters arrive as JSON values or, in form bodies, as strings: accept both like Telegram. */
export const readInteger = (params: Params, key: string): number | undefined => {
  const value = params[key]
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value
  return typeof number === "number" && Number.isSafeInteger(number) ? number : undefined
}

export const readString = (params: Params, key: string): string | undefined => {
  const value = params[key]
  if (typeof value === "string") return value
  return typeof value === "number" || typeof value === "boolean" ? String(value) : undefined
}

export const readBoolean = (params: Params, key: string): boolean => {
  const value = params[key]
  return value === true || value === 1 || value === "true" || value === "1"
}

/** A JSON-typed parameter (reply_markup, commands, allowed_updates): an object, or a string holding JSON. */
export const readJson = (params: Params, key: string, onInvalid: () => ApiError): unknown => {
  const value = params[key]
  if (typeof value !== "string") return value ?? undefined
  if (value === "") return undefined
  try {
    return JSON.parse(value)
  } catch {
    throw onInvalid()
  }
}

export const isUploadedFile = (value: unknown): value is UploadedFile =>
  typeof value === "object" && value !== null && "content" in value && value.content instanceof Uint8Array

const isFile = (value: unknown): value is File =>
  typeof value === "object" && value !== null && "arrayBuffer" in value && "name" in value

/** Query string, then the body: JSON, x-www-form-urlencoded, or multipart/form-data (files become UploadedFile). */
export const readRequestParams = async (request: Request): Promise<Record<string, unknown>> => {
  const params: Record<string, unknown> = Object.fromEntries(new URL(request.url).searchParams)
  if (request.method === "GET" || request.method === "HEAD") return params
  const type = (request.headers.get("content-type") ?? "").toLowerCase()
  if (type.startsWith("multipart/form-data")) {
    let form: FormData
    try {
      form = await request.formData()
    } catch {
      throw badRequest("can't parse multipart/form-data body")
    }
    for (const [key, value] of form.entries()) {
      params[key] = isFile(value)
        ? {
            file_name: value.name,
            mime_type: value.type || "application/octet-stream",
            size: value.size,
            content: new Uint8Array(await value.arrayBuffer()),
          }
        : value
    }
    return params
  }
  return withBody(params, type, await request.text())
}

/** Parameters of a request without files: the query string, then a JSON or x-www-form-urlencoded body. */
export const readPlainParams = (
  search: string,
  method: string,
  contentType: string,
  body: string,
): Params => {
  const params: Record<string, unknown> = Object.fromEntries(new URLSearchParams(search))
  return method === "GET" || method === "HEAD" ? params : withBody(params, contentType.toLowerCase(), body)
}

const withBody = (params: Record<string, unknown>, type: string, body: string): Record<string, unknown> => {
  if (body.trim() === "") return params
  if (type.startsWith("application/x-www-form-urlencoded")) {
    return { ...params, ...Object.fromEntries(new URLSearchParams(body)) }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw badRequest("can't parse JSON object")
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw badRequest("JSON object expected")
  }
  return { ...params, ...(parsed as Record<string, unknown>) }
}
