/** Main-menu words; the keyboard labels are matched when a student taps them. */
export const MENU = {
  classes: "📚 کلاس‌ها و دوره‌ها",
  book: "📖 کتاب",
  profile: "👤 پروفایل من",
  editProfile: "✏️ ویرایش پروفایل",
  contact: "☎️ تماس با ما",
} as const

export const MENU_TEXTS = {
  welcome:
    "👋 سلام! به ربات ثبت‌نام کلاس‌های ریاضی استاد حاتمی خوش آمدید.\nبرای ثبت‌نام چند پرسش کوتاه می‌پرسیم.",
  welcomeBack: (name: string) => `👋 ${name} عزیز، خوش آمدید! از منوی زیر انتخاب کنید.`,
  registered: (name: string) => `🎉 ${name} عزیز، ثبت‌نام شما با موفقیت انجام شد.\nاز منوی زیر انتخاب کنید.`,
  updated: "✅ اطلاعات شما به‌روز شد.",
  registrationCancelled: "ثبت‌نام لغو شد. هر وقت خواستید، دوباره /start را بزنید.",
  editCancelled: "ویرایش لغو شد؛ اطلاعات شما تغییری نکرد.",
  menuHint: "از منوی زیر انتخاب کنید.",
  profile: (summary: string, date: string) => `👤 پروفایل شما\n\n${summary}\nتاریخ ثبت‌نام: ${date}`,
  help: "راهنما:\n/start — شروع یا ادامهٔ ثبت‌نام\n/courses — کلاس‌ها و دوره‌ها\n/mycourses — دوره‌های من\n/book — کتاب\n/profile — نمایش پروفایل\n/contact — تماس با ما\n/cancel — لغو کار نیمه‌تمام\n/help — همین راهنما",
  adminHelp:
    "راهنما:\n/start — شروع یا ادامهٔ ثبت‌نام\n/courses — کلاس‌ها و دوره‌ها\n/mycourses — دوره‌های من\n/book — کتاب\n/profile — نمایش پروفایل\n/contact — تماس با ما\n/cancel — لغو کار نیمه‌تمام\n/help — همین راهنما\n\nادمین:\n/stats — آمار\n/export [پایه] — خروجی CSV\n/broadcast متن — پیام همگانی\n/ban شناسه — مسدود کردن\n/unban شناسه — رفع مسدودی",
  unknownCommand: "این دستور را نمی‌شناسم. برای دیدن دستورها /help را بزنید.",
  notRegistered: "هنوز ثبت‌نام نکرده‌اید. برای شروع /start را بزنید.",
  contactNotNeeded: "ℹ️ الان به شماره تلفن نیازی نیست.",
  mediaNotNeeded: "ℹ️ این نوع پیام را نمی‌توانم بخوانم؛ لطفاً از منو یا دستورها استفاده کنید.",
  nothingToCancel: "کار نیمه‌تمامی برای لغو وجود ندارد.",
  unexpectedError: (id: string) =>
    `😔 متأسفانه خطایی پیش آمد. لطفاً دوباره تلاش کنید؛ اگر تکرار شد، این کد را به پشتیبانی بگویید: ${id}`,
  storageFull: (id: string) =>
    `⚠️ حافظهٔ ربات همین حالا پر است و این کار ذخیره نشد. چیزی از آنچه وارد کرده‌اید از دست نرفته است؛ چند دقیقهٔ دیگر دوباره امتحان کنید. کد خطا: ${id}`,
  storageUnwritable: (id: string) =>
    `⚠️ ربات همین حالا نمی‌تواند چیزی ذخیره کند و این کار انجام نشد. چیزی از آنچه وارد کرده‌اید از دست نرفته است؛ چند دقیقهٔ دیگر دوباره امتحان کنید. کد خطا: ${id}`,
  notStored: "⚠️ ذخیره نشد؛ چند دقیقهٔ دیگر دوباره امتحان کنید.",
  recordDamaged: (id: string) =>
    `⚠️ اطلاعات ثبت‌نام شما قابل خواندن نبود و کنار گذاشته شد. لطفاً دوباره ثبت‌نام کنید. کد پیگیری: ${id}`,
  staleMenuButton: "این دکمه دیگر فعال نیست.",
} as const
