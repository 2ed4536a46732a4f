import { REJECTION_REASONS, type RejectionReason } from "../domain/order.ts"

export const ADMIN_BUTTONS = {
  approve: "✅ تایید",
  reject: "❌ رد",
  back: "🔙 بازگشت",
  reason: (reason: RejectionReason) => REJECTION_REASONS[reason],
  audienceAll: (count: string) => `همه (${count})`,
  audienceGrade: (grade: string, count: string) => `${grade} (${count})`,
  send: "✅ ارسال",
  changeAudience: "🔙 تغییر گیرندگان",
  cancel: "❌ لغو",
} as const

/** What admins read: reviews, announcements, statistics, exports and broadcasts. */
export const ADMIN_TEXTS = {
  storageFailing: (reason: string, where: string, free: string) =>
    `🚨 ربات نمی‌تواند روی دیسک بنویسد (${reason}).\nپوشه: ${where}\nفضای آزاد: ${free}\nدانش‌آموزان منو و اطلاعاتشان را می‌بینند، ولی ثبت‌نام و هر کاری که باید ذخیره شود تا رفع مشکل انجام نمی‌شود؛ به آن‌ها گفته می‌شود چند دقیقهٔ دیگر امتحان کنند.`,
  storageRecovered: (where: string, after: string) =>
    `✅ نوشتن روی دیسک دوباره کار می‌کند (پوشه: ${where}، پس از ${after}). ربات مثل همیشه کار می‌کند.`,
  review: (lines: ReadonlyArray<string>) => `🧾 رسید تازه برای بررسی\n${lines.join("\n")}`,
  approvedBy: (name: string) => `\n\n✅ تایید شد — ${name}`,
  rejectedBy: (name: string, reason: RejectionReason) =>
    `\n\n❌ رد شد — ${name}\nدلیل: ${REJECTION_REASONS[reason]}`,
  pickReason: "\n\nدلیل رد را انتخاب کنید:",
  alreadyDecided: (name: string) => `این رسید قبلاً بررسی شده است (${name}).`,
  decided: "ثبت شد.",
  receiptGone: "این رسید پیدا نشد.",
  newRegistration: (line: string) => `🆕 ثبت‌نام تازه:\n${line}`,
  newRegistrations: (count: string, lines: ReadonlyArray<string>, more: string) =>
    `🆕 ${count} ثبت‌نام تازه:\n${lines.join("\n")}${more === "" ? "" : `\n… و ${more} نفر دیگر`}`,
  stats: (body: string) => `📊 آمار\n\n${body}`,
  chartsUnavailable: (titles: ReadonlyArray<string>, id: string) =>
    `⚠️ ${titles.length === 1 ? "نمودار" : "نمودارهای"} ${titles.map((title) => `«${title}»`).join("، ")} الان در دسترس نیست؛ آمار بالا کامل است. کد خطا: ${id}`,
  unknownChart: (name: string) =>
    `نمودار «${name}» را نمی‌شناسم. یکی از این‌ها را بنویسید:\n/stats days — ثبت‌نام‌های روزانه\n/stats grades — پایه و رشته\n/stats provinces — استان‌ها\n/stats receipts — رسیدها\nیا فقط /stats برای آمار و همهٔ نمودارها.`,
  exportCaption: (what: string, count: string) => `📄 ${what} — ${count} ردیف`,
  exportStudents: "دانش‌آموزان",
  exportOrders: "سفارش‌ها و رسیدها",
  exportEnrolments: "ثبت‌نام کلاس‌های رایگان",
  exportBroadcasts: "پیام‌های همگانی",
  badGrade: "پایه را درست بنویسید: دهم، یازدهم یا دوازدهم. مثال: /export دوازدهم",
  broadcastUsage:
    "برای پیام همگانی، متن را بعد از دستور بنویسید، مثلاً:\n/broadcast کلاس این جمعه ساعت ۱۸ برگزار می‌شود.",
  broadcastPreview: (text: string) => `📣 پیش‌نمایش پیام همگانی:\n———\n${text}\n———\nگیرندگان را انتخاب کنید:`,
  broadcastConfirm: (text: string, audience: string, count: string) =>
    `📣 پیام همگانی:\n———\n${text}\n———\nگیرندگان: ${audience} — ${count} دانش‌آموز\nارسال شود؟`,
  broadcastCancelled: "پیام همگانی لغو شد.",
  broadcastProgress: (done: string, total: string, sent: string, blocked: string, failed: string) =>
    `📣 در حال ارسال… ${done} از ${total}\n✅ رسید: ${sent}   ⛔ ربات را مسدود کرده‌اند: ${blocked}   ⚠️ خطا: ${failed}`,
  broadcastDone: (total: string, sent: string, blocked: string, failed: string, uncertain: string) =>
    `📣 ارسال تمام شد (${total} دانش‌آموز).\n✅ رسید: ${sent}   ⛔ ربات را مسدود کرده‌اند: ${blocked}   ⚠️ خطا: ${failed}` +
    (uncertain === "۰"
      ? ""
      : `\n❔ نامعلوم (هنگام توقف ربات در حال ارسال بود و دوباره فرستاده نشد): ${uncertain}`),
  audienceAll: "همهٔ دانش‌آموزان",
  audienceGrade: (grade: string) => `پایهٔ ${grade}`,
  banUsage: "شناسهٔ عددی دانش‌آموز را بنویسید، مثلاً: /ban 123456789",
  banned: (id: string) => `⛔ کاربر ${id} مسدود شد.`,
  alreadyBanned: (id: string) => `کاربر ${id} از قبل مسدود بود.`,
  unbanned: (id: string) => `✅ کاربر ${id} از حالت مسدود خارج شد.`,
  notBanned: (id: string) => `کاربر ${id} مسدود نبود.`,
  cannotBanAdmin: "ادمین‌ها را نمی‌توان مسدود کرد.",
} as const
