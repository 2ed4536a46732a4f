import {
  type BotApiEmulator,
  type FakeUser,
  startBotApiEmulator,
  type Update,
} from "../../playground/bot-api-emulator.ts"

export type Body = {
  readonly ok: boolean
  readonly result?: unknown
  readonly error_code?: number
  readonly description?: string
  readonly parameters?: { readonly retry_after: number }
}
export type Answer = { readonly status: number; readonly body: Body }
export type SentMessage = {
  readonly message_id: number
  readonly text?: string
  readonly entities?: ReadonlyArray<{ readonly type: string }>
  readonly reply_markup?: unknown
  readonly document?: { readonly file_id: string; readonly file_name?: string }
}

export const student: FakeUser = { id: 1001, first_name: "سارا", username: "sara" }

export const call = async (
  emulator: BotApiEmulator,
  method: string,
  params: object = {},
  token = emulator.token,
) => {
  const response = await fetch(`${emulator.url}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  })
  return { status: response.status, body: (await response.json()) as Body } satisfies Answer
}

export const updatesOf = (answer: Answer) => answer.body.result as ReadonlyArray<Update>
export const sentOf = (answer: Answer) => answer.body.result as SentMessage
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const withEmulator = async (test: (emulator: BotApiEmulator) => Promise<void>) => {
  const emulator = await startBotApiEmulator()
  try {
    await test(emulator)
  } finally {
    await emulator.close()
  }
}

export const refusal = (status: number, description: string) => ({
  status,
  body: { ok: false, error_code: status, description },
})
