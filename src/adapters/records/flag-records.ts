import { Effect } from "effect"
import type { FlagStore } from "../../application/ports/flag-store.ts"
import type { UserId } from "../../domain/student.ts"
import { noFlags, type StudentFlags } from "../../domain/student-flags.ts"
import type { Change, Table } from "./table.ts"

/** FlagStore over a table keyed by user id; a student with no flags has no row. */
export const flagRecords = (table: Table<StudentFlags>): FlagStore["Type"] => {
  const current = (rows: ReadonlyMap<string, StudentFlags>, userId: UserId) =>
    rows.get(String(userId)) ?? noFlags(userId)
  const put = (flags: StudentFlags): Change<StudentFlags> => [
    String(flags.userId),
    flags.banned === undefined && flags.blockedAt === undefined ? undefined : flags,
  ]
  return {
    get: (userId) => Effect.sync(() => current(table.rows, userId)),
    ban: (userId, by, at) =>
      table.transact((rows) => {
        const flags = current(rows, userId)
        if (flags.banned !== undefined) return { result: false }
        return { result: true, changes: [put({ ...flags, banned: { at, by, noticeSent: false } })] }
      }),
    unban: (userId) =>
      table.transact((rows) => {
        const { banned, ...rest } = current(rows, userId)
        return banned === undefined ? { result: false } : { result: true, changes: [put(rest)] }
      }),
    claimBanNotice: (userId) =>
      table.transact((rows) => {
        const flags = current(rows, userId)
        if (flags.banned === undefined || flags.banned.noticeSent) return { result: false }
        return { result: true, changes: [put({ ...flags, banned: { ...flags.banned, noticeSent: true } })] }
      }),
    markBlocked: (userId, at) =>
      table.transact((rows) => {
        const flags = current(rows, userId)
        return flags.blockedAt !== undefined
          ? { result: undefined }
          : { result: undefined, changes: [put({ ...flags, blockedAt: at })] }
      }),
    clearBlocked: (userId) =>
      table.transact((rows) => {
        const { blockedAt, ...rest } = current(rows, userId)
        return blockedAt === undefined ? { result: undefined } : { result: undefined, changes: [put(rest)] }
      }),
    all: table.values,
  }
}
