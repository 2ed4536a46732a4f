/** The inbox's statements (inbox.ts): each one a round trip, or sent together with its neighbours. */
import type { Connection, Transaction } from "./database.ts"

/** Advisory lock namespace (first key of the two-key form) of live replicas. */
export const REPLICA_LOCK = 13

/**
 * Awaits statements sent together on one connection, every one of them, before answering (a failed one
 * aborts the transaction and fails the rest: the first failure is the one thrown, none is left unhandled).
 * Each must be on the wire already, in its order — `execute()`d: postgres.js sends a query only when it is
 * first awaited or executed, and awaiting sends it some microtasks later than an execute() written after it.
 */
export const settled = async <T extends ReadonlyArray<unknown>>(
  statements: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> => {
  const results = await Promise.allSettled(statements)
  for (const result of results) if (result.status === "rejected") throw result.reason
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as never
}

/**
 * Locks the chat's oldest pending update (its head) for the transaction on `tx`, in the statement that
 * reads it: whoever holds a chat's head holds the chat, so its updates are handled one at a time and in
 * order, on any replica (a newer update is never taken while an older one is held: no `skip locked`).
 * `wait` false (the sweep) leaves a chat whose head is held (`nowait` fails with 55P03). A replica that
 * waits for the head, once the holder commits, finds the row handled and gets nothing back (`limit 1`
 * does not look further): then it asks once more.
 */
export const claimHead = (tx: Transaction, key: string, wait: boolean) =>
  wait
    ? tx`select update_id, payload from updates
        where chat_key = ${key} and handled_at is null order by update_id limit 1 for update`
    : tx`select update_id, payload from updates
        where chat_key = ${key} and handled_at is null order by update_id limit 1 for update nowait`

/**
 * Counts a handling begun, on another connection than the transaction's (the count survives its rollback,
 * and the transaction holds the update's row): one that keeps killing its replica or failing its
 * transaction is given up after MAX_ATTEMPTS. Answers the count, this handling included.
 */
export const countAttempt = async (sql: Connection, updateId: number): Promise<number> => {
  const [row] = await sql`insert into update_attempts (update_id, attempts)
    select update_id, attempts + 1 from updates where update_id = ${updateId}
    on conflict (update_id) do update set attempts = update_attempts.attempts + 1
    returning attempts`
  return Number(row?.attempts ?? 1)
}

/**
 * Stores an update as received by `replica` (before it is acknowledged): false when any replica already has
 * it (the primary key refuses a second delivery).
 */
export const storeUpdate = async (
  sql: Connection,
  update: {
    readonly updateId: number
    readonly key: string
    readonly raw: unknown
    readonly replica: string
  },
): Promise<boolean> => {
  const rows = await sql`insert into updates (update_id, chat_key, payload, received_by)
    values (${update.updateId}, ${update.key}, ${sql.json(update.raw as never)}, ${update.replica})
    on conflict (update_id) do nothing returning update_id`
  return rows.length > 0
}

/**
 * The handled mark (with the count of attempts, whose own row goes), and in the same round trip whether the
 * chat has newer updates waiting (as this transaction sees them: one stored after it is drained by the
 * replica that stored it).
 */
export const markHandled = (
  tx: Transaction,
  mark: {
    readonly updateId: number
    readonly key: string
    readonly replica: string
    readonly attempts: number
  },
): Promise<boolean> =>
  // execute(): on the wire now, before a `commit` sent after it (awaiting the query would send it a few
  // microtasks later — after that commit, outside the transaction and its lock)
  tx`with counted as (delete from update_attempts where update_id = ${mark.updateId})
    update updates set handled_at = now(), handled_by = ${mark.replica},
      handled_seq = nextval('updates_handled_seq'), attempts = ${mark.attempts}
    where update_id = ${mark.updateId}
    returning exists (select 1 from updates where chat_key = ${mark.key} and handled_at is null
      and update_id > ${mark.updateId}) as more`
    .execute()
    .then(([marked]) => marked?.more === true)

/** Chats with updates that a replica no longer alive acknowledged and did not handle (or `replica` left). */
export const leftOverChats = (sql: Connection, replica: string) =>
  sql`select distinct chat_key from updates u
    where handled_at is null and payload is not null and received_at < now() - interval '2 seconds'
      and (received_by = ${replica} or not exists (
        select 1 from pg_locks l where l.locktype = 'advisory' and l.granted and l.objsubid = 2
          and l.classid = ${REPLICA_LOCK} and l.objid = hashtext(u.received_by)::oid))
    limit 100`
