import { Chunk, Effect, Option, Schema, Stream } from "effect"
import { tally } from "../../domain/broadcast.ts"
import { findCourse } from "../../domain/catalog.ts"
import { type Cell, toCsv } from "../../domain/csv.ts"
import { toLatinDigits, toPersianDigits } from "../../domain/digits.ts"
import { REJECTION_REASONS } from "../../domain/order.ts"
import { Grade } from "../../domain/school.ts"
import { UserId } from "../../domain/student.ts"
import { useCase } from "../common/use-case.ts"
import { Admins } from "../ports/admins.ts"
import { BroadcastStore } from "../ports/broadcast-store.ts"
import { currentDate } from "../ports/clock.ts"
import { EnrolmentStore } from "../ports/enrolment-store.ts"
import { FlagStore } from "../ports/flag-store.ts"
import { type ChatId, Messenger } from "../ports/messenger.ts"
import { OrderStore } from "../ports/order-store.ts"
import { Shop } from "../ports/shop.ts"
import { StudentDirectory } from "../ports/student-directory.ts"
import { ADMIN_CSV, ADMIN_TEXTS } from "./admin-texts.ts"

const fa = (n: number) => toPersianDigits(n)

/** Iranian operators read 0912…; it also keeps the cell from starting with "+". */
const nationalPhone = (phone: string) => phone.replace(/^\+98/, "0")

const groupBy = <A>(
  items: ReadonlyArray<A>,
  key: (item: A) => number,
): ReadonlyMap<number, ReadonlyArray<A>> => {
  const groups = new Map<number, Array<A>>()
  for (const item of items) {
    const group = groups.get(key(item))
    if (group === undefined) groups.set(key(item), [item])
    else group.push(item)
  }
  return groups
}

const csvFile = (fileName: string, content: string) => ({
  fileName,
  content: new TextEncoder().encode(content),
  mimeType: "text/csv",
})

const at = (date: Date | undefined): Cell => (date === undefined ? undefined : date.toISOString())

/**
 * /export [grade]: students (with their classes, courses, orders and flags), orders with receipts and
 * decisions, free-class seats and broadcasts — four CSV documents, UTF-8 with BOM, formulas neutralised.
 */
export const exportRecords = useCase("Admin.export")(function* (chatId: ChatId, argument: string) {
  const messenger = yield* Messenger
  const wanted = argument.trim()
  if (wanted !== "" && !Schema.is(Grade)(wanted))
    return yield* Effect.asVoid(messenger.send(chatId, { text: ADMIN_TEXTS.badGrade }))
  const grade = wanted === "" ? undefined : wanted
  const { catalog } = yield* Shop
  const enrolments = yield* (yield* EnrolmentStore).all
  const orders = yield* (yield* OrderStore).all
  const flags = new Map((yield* (yield* FlagStore).all).map((entry) => [entry.userId as number, entry]))
  const students = Chunk.toReadonlyArray(
    yield* Stream.runCollect(
      (yield* StudentDirectory).students.pipe(
        Stream.filter((student) => grade === undefined || student.profile.grade === grade),
      ),
    ),
  )
  const included = new Set<number>(students.map((student) => student.userId))
  const title = (id: string) => findCourse(catalog, id)?.title ?? id
  // Grouped once, so that 100 000 students do not each scan every order and seat.
  const ordersOf = groupBy(orders, (order) => order.userId)
  const seatsOf = groupBy(enrolments, (seat) => seat.userId)
  const studentRows = students.map((student): ReadonlyArray<Cell> => {
    const { profile } = student
    const mine = ordersOf.get(student.userId) ?? []
    const flag = flags.get(student.userId)
    return [
      student.userId,
      profile.firstName,
      profile.lastName,
      profile.grade,
      profile.major,
      profile.province,
      profile.city,
      nationalPhone(profile.phone),
      at(student.registrationDate),
      at(student.lastUpdated),
      (seatsOf.get(student.userId) ?? []).map((seat) => title(seat.courseId)).join(" | "),
      mine
        .filter((order) => order.item.kind === "course" && order.status === "approved")
        .map((order) => order.item.title)
        .join(" | "),
      mine.map((order) => `${order.id}:${order.status}`).join(" | "),
      flag?.banned === undefined ? "" : ADMIN_CSV.yes,
      flag?.blockedAt === undefined ? "" : ADMIN_CSV.yes,
    ]
  })
  const orderRows = orders
    .filter((order) => included.has(order.userId))
    .map((order): ReadonlyArray<Cell> => {
      const last = order.receipts.at(-1)
      const decision = last?.decision
      return [
        order.id,
        order.userId,
        ADMIN_CSV.kind[order.item.kind],
        order.item.title,
        order.item.priceToman,
        order.status,
        order.shipping?.postalCode,
        order.shipping?.address,
        order.shipping?.notes,
        at(order.createdAt),
        order.receipts.length,
        at(last?.submittedAt),
        decision === undefined ? "" : ADMIN_CSV.verdict[decision.verdict],
        decision?.adminName,
        decision?.reason === undefined ? "" : REJECTION_REASONS[decision.reason],
        at(decision?.at),
      ]
    })
  const seatRows = enrolments
    .filter((seat) => included.has(seat.userId))
    .map(
      (seat): ReadonlyArray<Cell> => [seat.userId, seat.courseId, title(seat.courseId), at(seat.enrolledAt)],
    )
  const broadcasts = yield* BroadcastStore
  const broadcastRows: Array<ReadonlyArray<Cell>> = []
  for (const broadcast of yield* broadcasts.all) {
    const counts = tally((yield* broadcasts.deliveries(broadcast.id)).values())
    broadcastRows.push([
      broadcast.id,
      at(broadcast.createdAt),
      broadcast.createdBy,
      broadcast.audience,
      broadcast.status,
      broadcast.text,
      counts.sent,
      counts.blocked,
      counts.failed,
      counts.uncertain,
    ])
  }
  const suffix = grade === undefined ? "" : `-${grade}`
  const files = [
    [ADMIN_TEXTS.exportStudents, `students${suffix}.csv`, ADMIN_CSV.students, studentRows],
    [ADMIN_TEXTS.exportOrders, `orders${suffix}.csv`, ADMIN_CSV.orders, orderRows],
    [ADMIN_TEXTS.exportEnrolments, `enrolments${suffix}.csv`, ADMIN_CSV.enrolments, seatRows],
    [ADMIN_TEXTS.exportBroadcasts, "broadcasts.csv", ADMIN_CSV.broadcasts, broadcastRows],
  ] as const
  for (const [what, name, header, rows] of files) {
    yield* messenger.sendDocument(
      chatId,
      csvFile(name, toCsv(header, rows)),
      ADMIN_TEXTS.exportCaption(what, fa(rows.length)),
    )
  }
})

const parseUserId = (argument: string): Option.Option<UserId> => {
  const digits = toLatinDigits(argument.trim())
  return /^\d{1,15}$/.test(digits) ? Option.some(UserId.make(Number(digits))) : Option.none()
}

/** /ban and /unban a student id: a banned student gets no service and one notice. */
export const setBan = useCase("Admin.ban")(function* (
  chatId: ChatId,
  adminId: number,
  argument: string,
  banned: boolean,
) {
  const messenger = yield* Messenger
  const target = parseUserId(argument)
  if (Option.isNone(target) || target.value <= 0)
    return yield* Effect.asVoid(messenger.send(chatId, { text: ADMIN_TEXTS.banUsage }))
  const id = toPersianDigits(target.value)
  const flags = yield* FlagStore
  if (banned) {
    if ((yield* Admins).ids.includes(target.value))
      return yield* Effect.asVoid(messenger.send(chatId, { text: ADMIN_TEXTS.cannotBanAdmin }))
    const now = yield* currentDate
    const changed = yield* flags.ban(target.value, adminId, now)
    return yield* Effect.asVoid(
      messenger.send(chatId, { text: changed ? ADMIN_TEXTS.banned(id) : ADMIN_TEXTS.alreadyBanned(id) }),
    )
  }
  const changed = yield* flags.unban(target.value)
  yield* messenger.send(chatId, { text: changed ? ADMIN_TEXTS.unbanned(id) : ADMIN_TEXTS.notBanned(id) })
})
