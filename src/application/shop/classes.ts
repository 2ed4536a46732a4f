import { Effect } from "effect"
import {
  type Course,
  findCourse,
  formatToman,
  freeClassesFor,
  isOnSale,
  paidCourses,
} from "../../domain/catalog.ts"
import { toPersianDigits } from "../../domain/digits.ts"
import type { Choice, Reply } from "../../domain/reply.ts"
import { choice } from "../common/actions.ts"
import type { Handled, Screen } from "../common/incoming.ts"
import { useCase } from "../common/use-case.ts"
import { currentDate } from "../ports/clock.ts"
import { EnrolmentStore } from "../ports/enrolment-store.ts"
import { Messenger } from "../ports/messenger.ts"
import { OrderStore } from "../ports/order-store.ts"
import { Shop } from "../ports/shop.ts"
import { SHOP_BUTTONS, SHOP_TEXTS } from "./shop-texts.ts"

/** Shows a screen: in place of the pressed message when there is one, else as a new message. */
export const show = (screen: Pick<Screen, "chatId" | "at">, reply: Reply) =>
  Effect.gen(function* () {
    const messenger = yield* Messenger
    if (screen.at === undefined) return yield* Effect.asVoid(messenger.send(screen.chatId, reply))
    yield* messenger
      .edit(screen.chatId, screen.at, reply)
      .pipe(Effect.catchTag("MessengerError", () => Effect.asVoid(messenger.send(screen.chatId, reply))))
  })

const backTo = (label: string, action: Parameters<typeof choice>[1]): ReadonlyArray<Choice> => [
  choice(label, action),
]

export const overview = useCase("Classes.overview")(function* (screen: Screen) {
  yield* show(screen, {
    text: SHOP_TEXTS.overview,
    choices: [
      [
        choice(SHOP_BUTTONS.freeClasses, { _tag: "FreeClasses" }),
        choice(SHOP_BUTTONS.paidCourses, { _tag: "PaidCourses" }),
      ],
      [choice(SHOP_BUTTONS.myCourses, { _tag: "MyCourses" })],
    ],
  })
})

const seatsLine = (course: Course, taken: number): string =>
  course.capacity === 0
    ? SHOP_TEXTS.unlimited
    : SHOP_TEXTS.seats(toPersianDigits(taken), toPersianDigits(course.capacity))

/** Free classes, the student's grade first (marked with a star). */
export const listFreeClasses = useCase("Classes.listFree")(function* (screen: Screen) {
  const { catalog } = yield* Shop
  const classes = freeClassesFor(catalog, screen.student.profile.grade)
  const rows = classes.map((course) => [
    choice(
      `${course.target_grades.includes(screen.student.profile.grade) ? SHOP_TEXTS.forYourGrade : ""}${course.title}`,
      { _tag: "ShowCourse", courseId: course.id },
    ),
  ])
  yield* show(screen, {
    text: classes.length === 0 ? SHOP_TEXTS.noFreeClasses : SHOP_TEXTS.freeClassesTitle,
    choices: [...rows, backTo(SHOP_BUTTONS.back, { _tag: "Overview" })],
  })
})

export const listPaidCourses = useCase("Classes.listPaid")(function* (screen: Screen) {
  const { catalog } = yield* Shop
  const courses = paidCourses(catalog)
  const rows = courses.map((course) => [
    choice(`${course.title}${isOnSale(course) ? ` — ${formatToman(course.price_toman)}` : ""}`, {
      _tag: "ShowCourse",
      courseId: course.id,
    }),
  ])
  yield* show(screen, {
    text: courses.length === 0 ? SHOP_TEXTS.noPaidCourses : SHOP_TEXTS.paidCoursesTitle,
    choices: [...rows, backTo(SHOP_BUTTONS.back, { _tag: "Overview" })],
  })
})

const describeCourse = (course: Course, extra: ReadonlyArray<string>): string =>
  [
    `📘 ${course.title}`,
    ...(course.description === "" ? [] : [course.description]),
    "",
    SHOP_TEXTS.when(course.schedule, course.duration),
    ...(course.platform === undefined ? [] : [SHOP_TEXTS.platform(course.platform)]),
    ...(course.start_date === undefined ? [] : [SHOP_TEXTS.startsOn(course.start_date)]),
    ...(course.target_grades.length === 0
      ? []
      : [SHOP_TEXTS.audience(course.target_grades.join("، "), course.target_majors.join("، "))]),
    ...extra,
  ].join("\n")

/** A class's or course's page, with what the student can do there now. */
export const showCourse = useCase("Classes.show")(function* (
  screen: Screen,
  courseId: string,
  status?: string,
) {
  const { catalog } = yield* Shop
  const course = findCourse(catalog, courseId)
  if (course === undefined) return { notice: SHOP_TEXTS.staleButton } satisfies Handled
  const userId = screen.student.userId
  if (course.kind === "free") {
    const enrolments = yield* EnrolmentStore
    const taken = yield* enrolments.seats(course.id)
    const mine = (yield* enrolments.ofStudent(userId)).some((seat) => seat.courseId === course.id)
    const action = mine
      ? choice(SHOP_BUTTONS.leave, { _tag: "Leave", courseId: course.id })
      : choice(SHOP_BUTTONS.enrol, { _tag: "Enrol", courseId: course.id })
    const lines = [seatsLine(course, taken), ...(mine ? [SHOP_TEXTS.youAreEnrolled] : [])]
    yield* show(screen, {
      text: describeCourse(course, [...lines, ...(status === undefined ? [] : ["", status])]),
      choices: [[action], backTo(SHOP_BUTTONS.back, { _tag: "FreeClasses" })],
    })
    return {}
  }
  const orders = yield* (yield* OrderStore).ofStudent(userId)
  const bought = orders.some((order) => order.item.id === course.id && order.status === "approved")
  const lines = [
    isOnSale(course) ? SHOP_TEXTS.price(formatToman(course.price_toman)) : SHOP_TEXTS.priceSoon,
    ...(bought ? [SHOP_TEXTS.purchased] : []),
  ]
  yield* show(screen, {
    text: describeCourse(course, lines),
    choices: [
      ...(isOnSale(course) && !bought
        ? [[choice(SHOP_BUTTONS.buyCourse, { _tag: "BuyCourse", courseId: course.id })]]
        : []),
      backTo(SHOP_BUTTONS.back, { _tag: "PaidCourses" }),
    ],
  })
  return {}
})

/** One tap enrols; a second tap, or a full class, changes nothing. */
export const enrol = useCase("Classes.enrol")(function* (screen: Screen, courseId: string) {
  const { catalog } = yield* Shop
  const course = findCourse(catalog, courseId)
  if (course === undefined || course.kind !== "free")
    return { notice: SHOP_TEXTS.staleButton } satisfies Handled
  const now = yield* currentDate
  const outcome = yield* (yield* EnrolmentStore).enrol(
    { userId: screen.student.userId, courseId: course.id, enrolledAt: now },
    course.capacity,
  )
  const notice =
    outcome === "Enrolled"
      ? SHOP_TEXTS.enrolled(course.title)
      : outcome === "AlreadyEnrolled"
        ? SHOP_TEXTS.alreadyEnrolled
        : SHOP_TEXTS.full
  yield* showCourse(screen, course.id, notice)
  return { notice: notice.slice(0, 200) } satisfies Handled
})

export const leave = useCase("Classes.leave")(function* (screen: Screen, courseId: string) {
  const { catalog } = yield* Shop
  const course = findCourse(catalog, courseId)
  if (course === undefined || course.kind !== "free")
    return { notice: SHOP_TEXTS.staleButton } satisfies Handled
  const left = yield* (yield* EnrolmentStore).leave(screen.student.userId, course.id)
  const notice = left ? SHOP_TEXTS.left(course.title) : SHOP_TEXTS.notEnrolled
  yield* showCourse(screen, course.id, notice)
  return { notice } satisfies Handled
})

/** Free classes with a seat, paid courses approved, and orders whose receipt is under review. */
export const myCourses = useCase("Classes.mine")(function* (screen: Screen) {
  const { catalog } = yield* Shop
  const userId = screen.student.userId
  const seats = yield* (yield* EnrolmentStore).ofStudent(userId)
  const orders = yield* (yield* OrderStore).ofStudent(userId)
  const title = (id: string) => findCourse(catalog, id)?.title ?? id
  const free = seats.map((seat) => {
    const course = findCourse(catalog, seat.courseId)
    return `• ${title(seat.courseId)}${course === undefined ? "" : ` — ${course.schedule}`}`
  })
  const paid = orders
    .filter((order) => order.item.kind === "course" && order.status === "approved")
    .map((order) => `• ${order.item.title}`)
  const pending = orders
    .filter((order) => order.status === "under_review")
    .map((order) => `• ${order.item.title}`)
  const sections = [
    ...(free.length === 0 ? [] : [SHOP_TEXTS.myFree, ...free]),
    ...(paid.length === 0 ? [] : [SHOP_TEXTS.myPaid, ...paid]),
    ...(pending.length === 0 ? [] : [SHOP_TEXTS.myPending, ...pending]),
  ]
  const mine = seats.flatMap((seat) => {
    const course = findCourse(catalog, seat.courseId)
    return course === undefined
      ? []
      : [[choice(`🚪 ${course.title}`, { _tag: "ShowCourse", courseId: course.id })]]
  })
  yield* show(screen, {
    text:
      sections.length === 0 ? SHOP_TEXTS.noCourses : `${SHOP_TEXTS.myCoursesTitle}\n\n${sections.join("\n")}`,
    choices: [...mine, backTo(SHOP_BUTTONS.back, { _tag: "Overview" })],
  })
})

export const contactText = Effect.map(Shop, ({ catalog }) =>
  SHOP_TEXTS.contact(catalog.contact.telegram, catalog.contact.email, catalog.contact.website),
)
