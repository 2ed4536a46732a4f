import assert from "node:assert/strict"
import { connect, type Socket } from "node:net"
import { after, before, describe, it } from "node:test"
import type { BotApiEmulator } from "../../playground/bot-api-emulator.ts"
import type { BotProcess } from "../support/bot-process.ts"
import { startWebhookBot } from "../support/delivery.ts"
import { studentDriver } from "../support/student-driver.ts"

const SOCKETS = 100
const DRIP_MS = 2000

/** A client that sends a request one byte every DRIP_MS and never finishes it; resolves when it is cut. */
const drip = (port: number, request: string) =>
  new Promise<number>((resolve) => {
    const opened = Date.now()
    const socket: Socket = connect(port, "127.0.0.1")
    let sent = 0
    const timer = setInterval(() => {
      if (sent < request.length) socket.write(request[sent] ?? "")
      sent += 1
    }, DRIP_MS)
    socket.on("error", () => undefined)
    socket.once("close", () => {
      clearInterval(timer)
      resolve(Date.now() - opened)
    })
  })

describe("slow clients: the real bot process closes half-open connections", () => {
  let emulator: BotApiEmulator
  let bot: BotProcess
  let port: number

  before(async () => {
    ;({ port, emulator, bot } = await startWebhookBot("/hook"))
  })

  after(async () => {
    await bot.stop()
    await emulator.close()
  })

  it(`cuts ${SOCKETS} sockets that drip a byte every 2 s within 20 s, and serves a student meanwhile`, async () => {
    const headers =
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
    const body = "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"
    const dripping = Array.from({ length: SOCKETS }, (_, index) =>
      drip(port, index % 2 === 0 ? headers : body),
    )
    const ali = studentDriver(emulator, { id: 9101, first_name: "Ali" }, 15_000)
    await ali.register({ first: "علی", last: "رضایی", grade: "دهم", phone: "+989121234567" })
    const lifetimes = await Promise.all(dripping)
    const longest = Math.max(...lifetimes)
    process.stdout.write(`# slow sockets: ${SOCKETS} cut after ${Math.min(...lifetimes)}–${longest} ms\n`)
    assert.ok(longest <= 20_000, `every slow socket closed within 20 s (longest ${longest} ms)`)
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200)
  })
})
