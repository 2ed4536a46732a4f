/**
 * `npm run bench:floor [-- --chats 1000]`: the CPU a bot cannot get below on this emulator — the Bot API calls
 * of 1 000 registrations (25 per registration, 2.5 per update: the calls both bots make, by method) sent over
 * undici's Pool as our client sends them (32 connections, 64 chats in flight), by a process that does nothing
 * else: no updates decoded, no state, no files, no logs. Its CPU per update is the floor under both bots'
 * "CPU ms per update" in `npm run bench`.
 */
import { spawn } from "node:child_process"
import { parseArgs } from "node:util"
import { Pool } from "undici"
import { startBotApiEmulator } from "../playground/bot-api-emulator.ts"

type Method = "sendMessage" | "editMessageText" | "editMessageReplyMarkup" | "answerCallbackQuery"
/**
 * A registration's calls, step by step, in the order our bot makes them (read off the emulator): a typed
 * answer clears the old question's buttons and asks the next; a press edits its question (the edit drops the
 * buttons), asks the next, and is answered. They add up to what the bench counts per registration (11
 * sendMessage, 5 editMessageText, 3 editMessageReplyMarkup, 6 answerCallbackQuery).
 */
const STEPS: ReadonlyArray<ReadonlyArray<Method>> = [
  ["sendMessage", "sendMessage"], // /start: the welcome and the first question
  ["editMessageReplyMarkup", "sendMessage"], // first name
  ["editMessageReplyMarkup", "sendMessage"], // last name
  ["editMessageText", "sendMessage", "answerCallbackQuery"], // grade
  ["editMessageText", "sendMessage", "answerCallbackQuery"], // major
  ["editMessageText", "answerCallbackQuery"], // provinces, page 2
  ["editMessageText", "sendMessage", "answerCallbackQuery"], // province
  ["editMessageText", "sendMessage", "answerCallbackQuery"], // city
  ["sendMessage", "sendMessage"], // contact: received, then the summary
  ["editMessageReplyMarkup", "sendMessage", "answerCallbackQuery"], // confirm
]
const CALLS = STEPS.flat()
const UPDATES_PER_REGISTRATION = STEPS.length

const question = "لطفاً استان محل زندگی خود را انتخاب کنید. (صفحهٔ ۱ از ۳)"
const keyboard = {
  inline_keyboard: Array.from({ length: 7 }, (_, row) =>
    Array.from({ length: 2 }, (_, column) => ({
      text: `استان ${row * 2 + column}`,
      callback_data: `r1:province:${row * 2 + column}`,
    })),
  ),
}

const client = async (url: string, token: string, chats: ReadonlyArray<number>) => {
  const root = new URL(url)
  const pool = new Pool(root.origin, { connections: 32, keepAliveTimeout: 30_000, pipelining: 1 })
  const refused: Record<string, number> = {}
  const call = async (method: string, params: object) => {
    const response = await pool.request({
      method: "POST",
      path: `/bot${token}/${method}`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    })
    const answer = JSON.parse(await response.body.text()) as { ok: boolean; result?: { message_id?: number } }
    if (!answer.ok) refused[method] = (refused[method] ?? 0) + 1
    return answer
  }
  const register = async (chat: number) => {
    let message = 0
    for (const [index, method] of CALLS.entries()) {
      if (method === "sendMessage") {
        const sent = await call(method, { chat_id: chat, text: question, reply_markup: keyboard })
        message = sent.result?.message_id ?? message
      } else if (method === "editMessageText")
        // each edit says something new (the page turn, then the answer): Telegram refuses an edit that changes nothing
        await call(method, { chat_id: chat, message_id: message, text: `${question} ✓ ${index}` })
      else if (method === "editMessageReplyMarkup") await call(method, { chat_id: chat, message_id: message })
      // no press to answer here: Telegram's refusal of an unknown query is the same round trip
      else await call(method, { callback_query_id: `${chat}-${message}` })
    }
  }
  const started = process.cpuUsage()
  const startedAt = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < chats.length) await register(chats[next++] ?? 0)
    }),
  )
  const used = process.cpuUsage(started)
  await pool.close()
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - startedAt, refused }
}

const { values } = parseArgs({
  options: {
    chats: { type: "string", default: "1000" },
    client: { type: "string" },
  },
})

if (values.client !== undefined) {
  const { url, token, chats } = JSON.parse(values.client) as { url: string; token: string; chats: number[] }
  process.stdout.write(`${JSON.stringify(await client(url, token, chats))}\n`)
} else {
  const emulator = await startBotApiEmulator()
  const chats = Array.from({ length: Number(values.chats) }, (_, index) => 8_000_000_000 + index)
  for (const id of chats) emulator.sendText({ id, first_name: "S" }, "/start")
  const child = spawn(
    process.execPath,
    [import.meta.filename, "--client", JSON.stringify({ url: emulator.url, token: emulator.token, chats })],
    { stdio: ["ignore", "pipe", "inherit"] },
  )
  let output = ""
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString()
  })
  await new Promise((done) => child.on("exit", done))
  await emulator.close()
  const { cpuMs, wallMs, refused } = JSON.parse(output) as {
    cpuMs: number
    wallMs: number
    refused: Record<string, number>
  }
  const calls = chats.length * CALLS.length
  const updates = chats.length * UPDATES_PER_REGISTRATION
  console.log(
    `${chats.length} registrations' Bot API calls (${calls}, ${(calls / updates).toFixed(1)} per update) in ${(wallMs / 1000).toFixed(2)} s: ` +
      `the client's CPU ${(cpuMs / calls).toFixed(3)} ms per call, ${(cpuMs / updates).toFixed(3)} ms per update`,
  )
  console.log(`refused by the emulator, by method: ${JSON.stringify(refused)}`)
  console.log(
    JSON.stringify({ bench: "http-floor", chats: chats.length, calls, updates, cpuMs, wallMs, refused }),
  )
}
