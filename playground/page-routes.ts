import { readFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import { Duration, Effect } from "effect"
import { type HttpRequest, type HttpResponse, json, type Route, text } from "../src/adapters/http/server.ts"
import type { BotApiEmulator } from "./bot-api-emulator.ts"
import type { ChangeFeed } from "./changes.ts"
import { renderCommands, renderReplyKeyboard, renderTranscript } from "./chat-view.ts"
import type { FakeUser } from "./emulator-types.ts"
import type { Persona, Personas } from "./personas.ts"

export type PageSession = {
  readonly emulator: BotApiEmulator
  readonly personas: Personas
  readonly changes: ChangeFeed
  readonly usersDir: string
  /** How long a page's request for news is held open when nothing changes. */
  readonly holdSeconds?: number
}

export const PAGE_PATH = "/playground"
const API = `${PAGE_PATH}/api`
const MAX_PHOTO_BYTES = 10 * 1024 * 1024

const page = (name: string) => readFile(join(import.meta.dirname, name))

/** What Telegram would put in `from`: the persona's role and number stay in the playground. */
const asTelegramUser = ({ id, first_name, last_name }: Persona): FakeUser =>
  last_name === undefined ? { id, first_name } : { id, first_name, last_name }

const chatPath = (action: string) => new RegExp(`^${API}/chat/(\\d{1,15})/${action}$`)

const parseJson = (request: HttpRequest): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(request.body.toString("utf8"))
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Enough to show photos in the page; anything else is offered as a download. */
const sniffType = (content: Uint8Array): string =>
  content[0] === 0xff && content[1] === 0xd8
    ? "image/jpeg"
    : content[0] === 0x89 && content[1] === 0x50 && content[2] === 0x4e && content[3] === 0x47
      ? "image/png"
      : "application/octet-stream"

const refuse = (status: number, error: string) => json(status, { ok: false, error })

/**
 * The playground page and its small JSON API, as routes of the bot's own HTTP server. The page acts as
 * the chosen persona through the emulator's student actions, so the bot receives exactly the updates
 * Telegram would send.
 */
export const pageRoutes = (session: PageSession): ReadonlyArray<Route> => {
  const { emulator, personas, changes, usersDir } = session
  const hold = Duration.seconds(session.holdSeconds ?? 20)
  const personaList = () =>
    personas.all().map((persona) => ({
      id: persona.id,
      name: [persona.first_name, persona.last_name].filter(Boolean).join(" "),
      role: persona.role,
    }))
  const recordPath = (userId: number) => join(resolve(usersDir), `user_${userId}.json`)

  /** Runs `act` as the persona named in the path; unknown ids get 404, a refused action 409. */
  const asPersona = (
    action: string,
    act: (persona: Persona, request: HttpRequest) => HttpResponse | undefined,
  ): Route => ({
    method: "POST",
    path: (path) => chatPath(action).test(path),
    maxBodyBytes: action === "photo" ? MAX_PHOTO_BYTES : 64 * 1024,
    handle: (request) =>
      Effect.sync(() => {
        const id = Number(chatPath(action).exec(request.path)?.[1])
        const persona = personas.find(id)
        if (persona === undefined) return refuse(404, `no persona ${id}`)
        try {
          return act(persona, request) ?? json(200, { ok: true })
        } catch (error) {
          return refuse(409, error instanceof Error ? error.message : String(error))
        }
      }),
  })

  const state = (userId: number) =>
    Effect.promise(async () => {
      const record = recordPath(userId)
      const saved = await readFile(record).then(
        () => true,
        () => false,
      )
      const transcript = emulator.transcript(userId)
      return {
        version: changes.version(),
        personas: personaList(),
        messages: renderTranscript(transcript),
        keyboard: renderReplyKeyboard(emulator.replyKeyboard(userId), transcript.length > 0),
        commands: renderCommands(emulator.commands()),
        toast: changes.toast(userId) ?? null,
        record: { path: record, saved },
      }
    })

  const asset = (path: string, file: string, type: string): Route => ({
    method: "GET",
    path,
    handle: () =>
      Effect.promise(() => page(file)).pipe(
        Effect.map((body) => ({
          status: 200,
          headers: { "content-type": type, "cache-control": "no-store" },
          body,
        })),
      ),
  })

  return [
    asset(PAGE_PATH, "page.html", "text/html; charset=utf-8"),
    asset(`${PAGE_PATH}/`, "page.html", "text/html; charset=utf-8"),
    asset(`${PAGE_PATH}/page.js`, "page.js", "text/javascript; charset=utf-8"),

    // The chat as the persona sees it, once it changed since `version` (or after a while: a long poll).
    {
      method: "GET",
      path: (path) => /^\/playground\/api\/chat\/\d{1,15}\/since\/\d{1,15}$/.test(path),
      handle: (request) => {
        const [, id, since] = /chat\/(\d+)\/since\/(\d+)$/.exec(request.path) ?? []
        const userId = Number(id)
        if (personas.find(userId) === undefined) return Effect.succeed(refuse(404, `no persona ${userId}`))
        return changes.after(Number(since), hold).pipe(
          Effect.zipRight(state(userId)),
          Effect.map((body) => json(200, body)),
        )
      },
    },

    { method: "GET", path: `${API}/personas`, handle: () => Effect.sync(() => json(200, personaList())) },

    asPersona("text", (persona, request) => {
      const message = parseJson(request)?.text
      if (typeof message !== "string" || message.trim() === "") return refuse(400, "text is empty")
      emulator.sendText(asTelegramUser(persona), message.slice(0, 4096))
      return undefined
    }),

    asPersona("button", (persona, request) => {
      const body = parseJson(request)
      const messageId = Number(body?.messageId)
      if (!Number.isInteger(messageId) || typeof body?.data !== "string") {
        return refuse(400, "messageId and data are required")
      }
      const update = emulator.pressButton(asTelegramUser(persona), messageId, body.data)
      changes.pressed(update.callback_query.id, persona.id)
      return undefined
    }),

    // The «share my number» button: the persona's own contact, with their user_id, as Telegram sends it.
    asPersona("contact", (persona) => {
      emulator.sendContact(asTelegramUser(persona), {
        phone_number: persona.phone,
        user_id: persona.id,
        first_name: persona.first_name,
        ...(persona.last_name === undefined ? {} : { last_name: persona.last_name }),
      })
      return undefined
    }),

    // A photo (e.g. a payment receipt): the raw image bytes, the caption in a header.
    asPersona("photo", (persona, request) => {
      if (!/^image\//.test(request.headers["content-type"] ?? "") || request.body.length === 0) {
        return refuse(415, "send the image bytes with an image/* content type")
      }
      const header = request.headers["x-caption"]
      const caption = typeof header === "string" && header !== "" ? decodeURIComponent(header) : undefined
      emulator.sendPhoto(asTelegramUser(persona), {
        content: new Uint8Array(request.body),
        ...(caption === undefined ? {} : { caption }),
      })
      return undefined
    }),

    // One more pretend student.
    {
      method: "POST",
      path: `${API}/students`,
      handle: () =>
        Effect.sync(() => {
          const added = personas.addStudent()
          changes.bump()
          return json(200, { ok: true, id: added.id })
        }),
    },

    // The student's file in USERS_DIR, exactly as the bot wrote it.
    {
      method: "GET",
      path: (path) => /^\/playground\/api\/chat\/\d{1,15}\/record$/.test(path),
      handle: (request) =>
        Effect.promise(() =>
          readFile(recordPath(Number(/chat\/(\d+)\/record$/.exec(request.path)?.[1])), "utf8").then(
            (body): HttpResponse => ({
              status: 200,
              headers: { "content-type": "application/json; charset=utf-8" },
              body,
            }),
            () => text(404, "not registered yet"),
          ),
        ),
    },

    // Files in the chats: photos the personas sent, documents the bot sent.
    {
      method: "GET",
      path: (path) => path.startsWith(`${API}/file/`),
      handle: (request) =>
        Effect.sync(() => {
          const content = emulator.fileContent(decodeURIComponent(request.path.slice(`${API}/file/`.length)))
          return content === undefined
            ? text(404, "no such file")
            : { status: 200, headers: { "content-type": sniffType(content) }, body: Buffer.from(content) }
        }),
    },
  ]
}
