/** What admins read and press while writing and sending a broadcast. */
export const BROADCAST_BUTTONS = {
  audienceAll: (count: string) => `همه (${count})`,
  audienceGrade: (grade: string, count: string) => `${grade} (${count})`,
  send: "✅ ارسال",
  changeAudience: "🔙 تغییر گیرندگان",
  cancel: "❌ لغو",
} as const

export const BROADCAST_TEXTS = {
  usage:
    "برای پیام همگانی، متن را بعد از دستور بنویسید، مثلاً:\n/broadcast کلاس این جمعه ساعت ۱۸ برگزار می‌شود.",
  preview: (text: string) => `📣 پیش‌نمایش پیام همگانی:\n———\n${text}\n———\nگیرندگان را انتخاب کنید:`,
  confirm: (text: string, audience: string, count: string) =>
    `📣 پیام همگانی:\n———\n${text}\n———\nگیرندگان: ${audience} — ${count} دانش‌آموز\nارسال شود؟`,
  cancelled: "پیام همگانی لغو شد.",
  progress: (done: string, total: string, sent: string, blocked: string, failed: string) =>
    `📣 در حال ارسال… ${done} از ${total}\n✅ رسید: ${sent}   ⛔ ربات را مسدود کرده‌اند: ${blocked}   ⚠️ خطا: ${failed}`,
  done: (total: string, sent: string, blocked: string, failed: string, uncertain: string) =>
    `📣 ارسال تمام شد (${total} دانش‌آموز).\n✅ رسید: ${sent}   ⛔ ربات را مسدود کرده‌اند: ${blocked}   ⚠️ خطا: ${failed}` +
    (uncertain === "۰"
      ? ""
      : `\n❔ نامعلوم (هنگام توقف ربات در حال ارسال بود و دوباره فرستاده نشد): ${uncertain}`),
  audienceAll: "همهٔ دانش‌آموزان",
  audienceGrade: (grade: string) => `پایهٔ ${grade}`,
  gone: "این پیام همگانی پیدا نشد.",
  notADraft: "این پیام دیگر پیش‌نویس نیست.",
  alreadySent: "این پیام قبلاً فرستاده شده یا لغو شده است.",
} as const
