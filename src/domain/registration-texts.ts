import { toPersianDigits } from "./digits.ts"
import type { InvalidNameReason } from "./persian-name.ts"

/** Words on buttons; operators, documentation and tests rely on them. */
export const LABELS = {
  next: "بعدی ◀️",
  previous: "▶️ قبلی",
  confirm: "✅ تایید",
  edit: "✏️ ویرایش",
  back: "🔙 بازگشت",
  cancel: "❌ انصراف",
  shareContact: "📱 ارسال شماره من",
} as const

export const FIELD_LABELS = {
  first_name: "نام",
  last_name: "نام خانوادگی",
  grade: "پایه",
  major: "رشته",
  province: "استان",
  city: "شهر",
  phone: "شماره تلفن",
} as const

export const QUESTIONS = {
  first_name: "نام خود را به فارسی بنویسید:",
  last_name: "نام خانوادگی خود را به فارسی بنویسید:",
  grade: "پایهٔ تحصیلی خود را انتخاب کنید:",
  major: "رشتهٔ تحصیلی خود را انتخاب کنید:",
  province: "استان محل زندگی خود را انتخاب کنید:",
  city: (province: string) => `شهر خود را در استان ${province} انتخاب کنید:`,
  phone: "شماره موبایل خود را با دکمهٔ «📱 ارسال شماره من» بفرستید، یا آن را بنویسید (مثلاً ۰۹۱۲۱۲۳۴۵۶۷):",
  confirm: "لطفاً اطلاعات خود را بررسی کنید:",
  chooseField: "کدام مورد را می‌خواهید ویرایش کنید؟",
} as const

export const stepCounter = (index: number, total: number): string =>
  `(مرحلهٔ ${toPersianDigits(index)} از ${toPersianDigits(total)})`

export const pageCounter = (page: number, pages: number): string =>
  `صفحهٔ ${toPersianDigits(page + 1)} از ${toPersianDigits(pages)}`

export const NAME_ERRORS: Readonly<Record<InvalidNameReason, string>> = {
  empty: "⚠️ این بخش نمی‌تواند خالی باشد.",
  too_short: "⚠️ نام باید دست‌کم ۲ حرف داشته باشد.",
  too_long: "⚠️ نام نباید بیشتر از ۵۰ حرف داشته باشد.",
  latin: "⚠️ لطفاً با حروف فارسی بنویسید؛ حروف انگلیسی پذیرفته نمی‌شود.",
  digits: "⚠️ نام نباید عدد داشته باشد.",
  symbols: "⚠️ فقط حروف فارسی، فاصله و نیم‌فاصله پذیرفته می‌شود (بدون ایموجی و علامت).",
}

export const NOTICES = {
  invalidPhone: "⚠️ این شماره موبایل معتبر نیست. یک شمارهٔ ایرانی مثل ۰۹۱۲۱۲۳۴۵۶۷ یا ‎+989121234567 بفرستید.",
  notOwnContact:
    "⚠️ این شماره متعلق به خود شما نیست. لطفاً با دکمهٔ «📱 ارسال شماره من» شمارهٔ خودتان را بفرستید یا آن را بنویسید.",
  chooseFromButtons: "⚠️ لطفاً یکی از گزینه‌های زیر را انتخاب کنید.",
  typeText: "⚠️ لطفاً پاسخ را به صورت متن بنویسید.",
  contactNotNow: "ℹ️ فعلاً به شماره تلفن نیازی نیست؛ لطفاً به پرسش زیر پاسخ دهید.",
  staleButton: "این دکمه دیگر فعال نیست؛ لطفاً از آخرین پیام استفاده کنید.",
  unknownButton: "این دکمه شناخته نشد.",
  phoneSaved: "✔️ شماره تلفن دریافت شد.",
} as const
