/** What admins read: announcements, statistics, exports, bans and storage alerts. */
export const ADMIN_TEXTS = {
  storageFailing: (reason: string, where: string, free: string) =>
    `🚨 ربات نمی‌تواند روی دیسک بنویسد (${reason}).\nپوشه: ${where}\nفضای آزاد: ${free}\nدانش‌آموزان منو و اطلاعاتشان را می‌بینند، ولی ثبت‌نام و هر کاری که باید ذخیره شود تا رفع مشکل انجام نمی‌شود؛ به آن‌ها گفته می‌شود چند دقیقهٔ دیگر امتحان کنند.`,
  storageFull: "دیسک پر است",
  storageUnwritable: "دیسک فقط‌خواندنی یا خراب است",
  byteUnits: ["بایت", "کیلوبایت", "مگابایت", "گیگابایت", "ترابایت"],
  storageRecovered: (where: string, after: string) =>
    `✅ نوشتن روی دیسک دوباره کار می‌کند (پوشه: ${where}، پس از ${after}). ربات مثل همیشه کار می‌کند.`,
  studentLine: (name: string, grade: string, major: string, province: string, city: string) =>
    `• ${name} — ${grade} ${major} — ${province}، ${city}`,
  newRegistration: (line: string) => `🆕 ثبت‌نام تازه:\n${line}`,
  newRegistrations: (count: string, lines: ReadonlyArray<string>, more: string) =>
    `🆕 ${count} ثبت‌نام تازه:\n${lines.join("\n")}${more === "" ? "" : `\n… و ${more} نفر دیگر`}`,
  stats: (body: string) => `📊 آمار\n\n${body}`,
  countOf: (name: string, count: string) => `${name}: ${count}`,
  statsBody: (stats: {
    readonly total: string
    readonly grades: ReadonlyArray<string>
    readonly majors: ReadonlyArray<string>
    readonly provinces: ReadonlyArray<string>
    readonly days: ReadonlyArray<string>
    readonly pending: string
  }) =>
    [
      `👥 همهٔ دانش‌آموزان: ${stats.total}`,
      `🎓 پایه — ${stats.grades.join("، ")}`,
      `📐 رشته — ${stats.majors.join("، ")}`,
      "",
      "🗺 استان‌ها:",
      ...(stats.provinces.length === 0 ? ["—"] : stats.provinces.map((line) => `  ${line}`)),
      "",
      "📅 ثبت‌نام در ۱۴ روز گذشته:",
      ...stats.days.map((line) => `  ${line}`),
      "",
      `🧾 رسیدهای در انتظار بررسی: ${stats.pending}`,
    ].join("\n"),
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
  banUsage: "شناسهٔ عددی دانش‌آموز را بنویسید، مثلاً: /ban 123456789",
  banned: (id: string) => `⛔ کاربر ${id} مسدود شد.`,
  alreadyBanned: (id: string) => `کاربر ${id} از قبل مسدود بود.`,
  unbanned: (id: string) => `✅ کاربر ${id} از حالت مسدود خارج شد.`,
  notBanned: (id: string) => `کاربر ${id} مسدود نبود.`,
  cannotBanAdmin: "ادمین‌ها را نمی‌توان مسدود کرد.",
} as const

/** The CSV files of /export: their column headers and the words in their cells. */
export const ADMIN_CSV = {
  students: [
    "شناسه",
    "نام",
    "نام خانوادگی",
    "پایه",
    "رشته",
    "استان",
    "شهر",
    "تلفن",
    "تاریخ ثبت‌نام",
    "آخرین تغییر",
    "کلاس‌های رایگان",
    "دوره‌های ویژه",
    "سفارش‌ها",
    "مسدود",
    "ربات را مسدود کرده",
  ],
  orders: [
    "سفارش",
    "شناسهٔ دانش‌آموز",
    "نوع",
    "عنوان",
    "مبلغ (تومان)",
    "وضعیت",
    "کد پستی",
    "نشانی",
    "توضیحات",
    "تاریخ سفارش",
    "تعداد رسید",
    "آخرین رسید",
    "تصمیم",
    "تصمیم‌گیرنده",
    "دلیل رد",
    "زمان تصمیم",
  ],
  enrolments: ["شناسهٔ دانش‌آموز", "کلاس", "عنوان", "تاریخ"],
  broadcasts: [
    "شناسه",
    "زمان",
    "فرستنده",
    "گیرندگان",
    "وضعیت",
    "متن",
    "رسید",
    "مسدود کرده",
    "خطا",
    "نامعلوم",
  ],
  yes: "بله",
  kind: { book: "کتاب", course: "دوره" },
  verdict: { approved: "تایید", rejected: "رد" },
} as const
