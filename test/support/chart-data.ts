import type { StudentSummary } from "../../src/application/ports/student-directory.ts"
import type { Order } from "../../src/domain/order.ts"
import { GRADES, MAJORS } from "../../src/domain/school.ts"
import { UserId } from "../../src/domain/student.ts"

/** A fixed moment for charts: 1405/09/13 in the Jalali calendar. */
export const CHART_NOW = new Date("2026-12-04T08:00:00Z")

const PROVINCES = [
  "تهران",
  "فارس",
  "اصفهان",
  "خراسان رضوی",
  "آذربایجان شرقی",
  "مازندران",
  "گیلان",
  "کرمان",
  "خوزستان",
  "یزد",
  "قم",
  "سمنان",
  "همدان",
]

/** `count` students spread over grades, majors, 13 provinces and the last 30 days, the same every time. */
export const seededSummaries = (count: number): ReadonlyArray<StudentSummary> =>
  Array.from({ length: count }, (_, index) => ({
    userId: UserId.make(1000 + index),
    grade: GRADES[index % GRADES.length] as StudentSummary["grade"],
    major: MAJORS[(index * 7) % MAJORS.length] as StudentSummary["major"],
    province: PROVINCES[Math.floor((index * index) / 7) % PROVINCES.length] as string,
    registrationDate: new Date(CHART_NOW.getTime() - ((index * 37) % 30) * 86_400_000 - 3_600_000),
  }))

const receipt = (id: string, verdict?: "approved" | "rejected") => ({
  id,
  fileId: `file-${id}`,
  fileUniqueId: `unique-${id}`,
  submittedAt: CHART_NOW,
  reviewCopies: [],
  ...(verdict === undefined
    ? {}
    : { decision: { verdict, adminId: 9001, adminName: "ادمین", at: CHART_NOW } }),
})

/** Orders with receipts approved, pending and rejected, for two courses and the book. */
export const seededOrders = (): ReadonlyArray<Order> => {
  const order = (
    id: string,
    title: string,
    priceToman: number,
    status: Order["status"],
    receipts: Order["receipts"],
  ): Order => ({
    id,
    userId: UserId.make(1000),
    item: { kind: "course", id: title, title, priceToman },
    status,
    receipts,
    createdAt: CHART_NOW,
    updatedAt: CHART_NOW,
  })
  return [
    order("o1", "جمع‌بندی کنکور", 1_500_000, "approved", [receipt("r1", "approved")]),
    order("o2", "جمع‌بندی کنکور", 1_500_000, "under_review", [receipt("r2")]),
    order("o3", "هندسه یازدهم", 900_000, "awaiting_receipt", [receipt("r3", "rejected")]),
    order("o4", "هندسه یازدهم", 900_000, "approved", [receipt("r4", "rejected"), receipt("r5", "approved")]),
  ]
}
