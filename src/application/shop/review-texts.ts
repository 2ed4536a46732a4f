import { Option } from "effect"
import { formatToman } from "../../domain/catalog.ts"
import { type Order, REJECTION_REASONS, type RejectionReason } from "../../domain/order.ts"
import { fullName, type Student } from "../../domain/student.ts"

/** What admins press and read when they review a receipt. */
export const REVIEW_BUTTONS = {
  approve: "✅ تایید",
  reject: "❌ رد",
  back: "🔙 بازگشت",
  reason: (reason: RejectionReason) => REJECTION_REASONS[reason],
} as const

export const REVIEW_TEXTS = {
  review: (lines: ReadonlyArray<string>) => `🧾 رسید تازه برای بررسی\n${lines.join("\n")}`,
  approvedBy: (name: string) => `\n\n✅ تایید شد — ${name}`,
  rejectedBy: (name: string, reason: RejectionReason) =>
    `\n\n❌ رد شد — ${name}\nدلیل: ${REJECTION_REASONS[reason]}`,
  pickReason: "\n\nدلیل رد را انتخاب کنید:",
  alreadyDecided: (name: string) => `این رسید قبلاً بررسی شده است (${name}).`,
  decided: "ثبت شد.",
  receiptGone: "این رسید پیدا نشد.",
} as const

/** The receipt's order and its student, as the review message lists them. */
export const reviewLines = (order: Order, student: Option.Option<Student>): ReadonlyArray<string> => {
  const shipping = order.shipping
  return [
    `سفارش ${order.id}: ${order.item.kind === "book" ? "کتاب" : "دوره"} «${order.item.title}»`,
    `مبلغ: ${formatToman(order.item.priceToman)}`,
    ...Option.match(student, {
      onNone: () => [`دانش‌آموز: شناسه ${order.userId}`],
      onSome: ({ profile }) => [
        `دانش‌آموز: ${fullName(profile)} (شناسه ${order.userId})`,
        `پایه و رشته: ${profile.grade} — ${profile.major}`,
        `استان و شهر: ${profile.province} — ${profile.city}`,
        `تلفن: ${profile.phone}`,
      ],
    }),
    ...(shipping?.postalCode === undefined ? [] : [`کد پستی: ${shipping.postalCode}`]),
    ...(shipping?.address === undefined ? [] : [`نشانی: ${shipping.address}`]),
    ...(shipping?.notes === undefined ? [] : [`توضیحات: ${shipping.notes}`]),
  ]
}
