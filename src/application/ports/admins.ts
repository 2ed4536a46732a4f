import { Context } from "effect"

/** The teacher's admins (ADMIN_USER_IDS): they review receipts and use the admin commands. */
export class Admins extends Context.Tag("Admins")<Admins, { readonly ids: ReadonlyArray<number> }>() {}

export const isAdmin = (admins: Admins["Type"], userId: number): boolean => admins.ids.includes(userId)
