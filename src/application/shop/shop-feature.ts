import { type Feature, whenRegistered, withNothing } from "../common/handler-table.ts"
import { asUseCase } from "../common/use-case.ts"
import { enrol, leave, listFreeClasses, listPaidCourses, myCourses, overview, showCourse } from "./classes.ts"
import { buyBook, buyCourse, cancel, showBooks, skipNotes } from "./orders.ts"
import { decide, pickReason } from "./payments.ts"

type ShopButtons =
  | "Overview"
  | "FreeClasses"
  | "PaidCourses"
  | "MyCourses"
  | "ShowCourse"
  | "Enrol"
  | "Leave"
  | "BuyCourse"
  | "BuyBook"
  | "SkipNotes"
  | "CancelOrder"
  | "Approve"
  | "Reject"
  | "AskReason"
  | "ReviewBack"

/** Classes, courses, the book, orders and the admins' review of their receipts. */
export const SHOP: Feature<ShopButtons, "classes" | "book"> = {
  commands: [
    {
      command: "courses",
      audience: "everyone",
      description: "کلاس‌های رایگان و دوره‌های ویژه",
      run: (context) => whenRegistered(context, overview),
    },
    {
      command: "mycourses",
      audience: "everyone",
      description: "کلاس‌ها و دوره‌های من",
      run: (context) => whenRegistered(context, myCourses),
    },
    {
      command: "book",
      audience: "everyone",
      description: "کتاب انفجار خلاقیت ریاضی و سفارش آن",
      run: (context) => whenRegistered(context, (screen) => showBooks(screen.chatId)),
    },
  ],
  buttons: {
    Overview: { audience: "students", run: (_, screen) => withNothing(overview(screen)) },
    FreeClasses: { audience: "students", run: (_, screen) => withNothing(listFreeClasses(screen)) },
    PaidCourses: { audience: "students", run: (_, screen) => withNothing(listPaidCourses(screen)) },
    MyCourses: { audience: "students", run: (_, screen) => withNothing(myCourses(screen)) },
    ShowCourse: { audience: "students", run: (action, screen) => showCourse(screen, action.courseId) },
    Enrol: { audience: "students", run: (action, screen) => enrol(screen, action.courseId) },
    Leave: { audience: "students", run: (action, screen) => leave(screen, action.courseId) },
    BuyCourse: {
      audience: "students",
      run: (action, screen) => buyCourse({ chatId: screen.chatId, student: screen.student }, action.courseId),
    },
    BuyBook: {
      audience: "students",
      run: (action, screen) => buyBook({ chatId: screen.chatId, student: screen.student }, action.bookId),
    },
    SkipNotes: { audience: "students", run: (action, screen) => skipNotes(screen, action.orderId) },
    CancelOrder: { audience: "students", run: (action, screen) => cancel(screen, action.orderId) },
    Approve: {
      audience: "admins",
      run: (action, reviewer) => decide(reviewer, action.orderId, action.receiptId, "approved"),
    },
    Reject: {
      audience: "admins",
      run: (action, reviewer) =>
        decide(reviewer, action.orderId, action.receiptId, "rejected", action.reason),
    },
    AskReason: {
      audience: "admins",
      run: (action, reviewer) => pickReason(reviewer, action.orderId, action.receiptId, true),
    },
    ReviewBack: {
      audience: "admins",
      run: (action, reviewer) => pickReason(reviewer, action.orderId, action.receiptId, false),
    },
  },
  menu: {
    classes: (context, student) =>
      withNothing(asUseCase("Menu.show")(overview({ chatId: context.who.chatId, student }))),
    book: (context) => withNothing(asUseCase("Menu.show")(showBooks(context.who.chatId))),
  },
}
