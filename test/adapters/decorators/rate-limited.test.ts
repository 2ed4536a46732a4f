import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { UserId } from "../../../src/domain/student.ts"
import { type ObservedBot, observedBots, registerQuickly } from "../../support/observed-bot.ts"

const FLOODER = 7001
const OTHER = 7002
const ADMIN = 7003

const isNotice = (text: string) => text.startsWith("⏳")
const notices = (bot: ObservedBot, chat: number) =>
  bot.messenger.messages(chat).filter((message) => isNotice(message.reply.text))

describe("rate limit per student (token bucket as a Bot decorator)", () => {
  const make = observedBots()

  it("lets a whole registration through at tapping speed, and at no speed at all", async () => {
    const tapping = make()
    await registerQuickly(tapping, 7100, () => tapping.advance(400))
    assert.ok(tapping.students.students.get(UserId.make(7100)), "registered")
    assert.equal(notices(tapping, 7100).length, 0)

    const instant = make()
    const handled = await registerQuickly(instant, 7101, async () => {})
    assert.ok(instant.students.students.get(UserId.make(7101)), "registered with no time between actions")
    assert.equal(notices(instant, 7101).length, 0)
    assert.ok(handled.every((result) => result.notice === undefined || !isNotice(result.notice)))
  })

  it("limits a flood with exactly one notice per window, and leaves another student alone", async () => {
    const bot = make({ perMinute: 10, burst: 20 })
    await bot.say(FLOODER, "/start")
    for (let i = 0; i < 60; i += 1) await bot.say(FLOODER, `پیام ${i}`)
    // 20 actions pass (the burst), the 21st gets the notice, the other 40 are dropped silently.
    assert.equal(notices(bot, FLOODER).length, 1)
    assert.match(notices(bot, FLOODER)[0]?.reply.text ?? "", /۶ ثانیهٔ دیگر/)
    const before = bot.messenger.messages(FLOODER).length

    // Meanwhile another student registers, untouched by the flood.
    await registerQuickly(bot, OTHER, async () => {})
    assert.ok(bot.students.students.get(UserId.make(OTHER)))
    assert.equal(notices(bot, OTHER).length, 0)

    // Half a minute later: 5 tokens are back and pass; the rest of the flood stays silent.
    await bot.advance(30_000)
    for (let i = 0; i < 20; i += 1) await bot.say(FLOODER, `باز ${i}`)
    assert.equal(notices(bot, FLOODER).length, 1, "still one notice in the first window")
    assert.equal(bot.messenger.messages(FLOODER).length, before + 5, "5 answers for the 5 refilled tokens")

    // The next window: one more notice, no more.
    await bot.advance(31_000)
    for (let i = 0; i < 20; i += 1) await bot.say(FLOODER, `دوباره ${i}`)
    assert.equal(notices(bot, FLOODER).length, 2)

    const metrics = await bot.exposition()
    assert.match(metrics.body, /bot_updates_handled_total\{kind="Text",outcome="limited"\} 71/)
  })

  it("answers every limited button press with the notice as its toast", async () => {
    const bot = make({ perMinute: 10, burst: 3 })
    await bot.say(FLOODER, "/start")
    await bot.say(FLOODER, "علی")
    await bot.say(FLOODER, "رضایی")
    const results = []
    for (let i = 0; i < 5; i += 1) results.push(await bot.press(FLOODER, "دهم"))
    assert.equal(results.length, 5)
    for (const result of results) assert.ok(result.notice !== undefined && isNotice(result.notice), "toast")
    assert.equal(notices(bot, FLOODER).length, 1, "and one notice in the chat")
  })

  it("never limits an admin", async () => {
    const bot = make({ perMinute: 1, burst: 1, admins: [ADMIN] })
    for (let i = 0; i < 30; i += 1) await bot.say(ADMIN, "/help")
    assert.equal(notices(bot, ADMIN).length, 0)
    assert.equal(bot.messenger.messages(ADMIN).length, 30)
    await bot.say(OTHER, "/help")
    await bot.say(OTHER, "/help")
    assert.equal(notices(bot, OTHER).length, 1, "the same limits do apply to a student")
  })
})
