import { Effect } from "effect"
import { toPersianDigits } from "../../domain/digits.ts"
import { Admins } from "../ports/admins.ts"
import { Messenger } from "../ports/messenger.ts"
import { ADMIN_TEXTS } from "./admin-texts.ts"

/** Free space as an admin reads it: "۰ بایت", "۳۱۲ کیلوبایت", "۱٫۵ مگابایت"… */
export const readableBytes = (bytes: number): string => {
  const units = ADMIN_TEXTS.byteUnits
  let value = Math.max(0, bytes)
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  const shown = unit === 0 || value >= 10 ? String(Math.round(value)) : value.toFixed(1).replace(".", "٫")
  return `${toPersianDigits(shown)} ${units[unit]}`
}

const tellAdmins = (text: string) =>
  Effect.gen(function* () {
    const messenger = yield* Messenger
    const { ids } = yield* Admins
    yield* Effect.forEach(
      ids,
      (admin) =>
        messenger
          .send(admin, { text })
          .pipe(
            Effect.catchAll((error) => Effect.logWarning(`could not alert admin ${admin}`, error.detail)),
          ),
      { discard: true },
    )
  })

/** One message to each admin when storage starts refusing writes: why, where, and how much space is left. */
export const alertStorageFailing = (reason: "full" | "unwritable", where: string, freeBytes: number) =>
  tellAdmins(
    ADMIN_TEXTS.storageFailing(
      reason === "full" ? ADMIN_TEXTS.storageFull : ADMIN_TEXTS.storageUnwritable,
      where,
      readableBytes(freeBytes),
    ),
  )

/** And one when writes work again. */
export const alertStorageRecovered = (where: string, failedForMs: number) =>
  tellAdmins(
    ADMIN_TEXTS.storageRecovered(where, toPersianDigits(Math.max(1, Math.round(failedForMs / 60_000)))),
  )
