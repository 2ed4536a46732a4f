import { Duration, Effect, Redacted, Scope, Exit } from "effect"
import { connect, Database } from "../src/adapters/postgres/database.ts"
import { migrate } from "../src/adapters/postgres/migrations.ts"
import { makeInbox } from "../src/adapters/postgres/inbox.ts"
import { freshDatabase } from "../test/support/postgres-server.ts"
const sql = connect({ url: Redacted.make(await freshDatabase()), poolSize: 16 })
await migrate(sql)
const scope = Effect.runSync(Scope.make())
const inbox = await Effect.runPromise(makeInbox({ replica: "x", maxInFlight: 12, toJob: (raw: any) => ({ id: raw.id, key: raw.chat, raw, work: Effect.sleep(Duration.millis(5)) }) }).pipe(Effect.provideService(Database, { sql }), Scope.extend(scope)))
for (let i = 1; i <= 200; i++) await Effect.runPromise(inbox.submit({ id: i, key: i % 30, raw: { id: i, chat: i % 30 }, work: Effect.void }))
await new Promise((r) => setTimeout(r, 1500))
console.log("closing", new Date().toISOString())
const t = Date.now()
const unfinished = await Effect.runPromise(inbox.close(Duration.seconds(3)))
console.log("closed", unfinished, Date.now() - t, "ms")
await Effect.runPromise(Scope.close(scope, Exit.void))
console.log("scope closed")
await sql.end({ timeout: 2 })
console.log("pool ended")
process.exit(0)
