import { REJECTION_REASONS, type RejectionReason } from "../../domain/order.ts"

/** Button labels of the classes, courses, book and payment screens. */
export const SHOP_BUTTONS = {
  freeClasses: "🆓 کلاس‌های رایگان",
  paidCourses: "💎 دوره‌های ویژه",
  myCourses: "🎓 دوره‌های من",
  enrol: "✅ ثبت‌نام در کلاس",
  leave: "🚪 انصراف از کلاس",
  buyCourse: "🛒 ثبت‌نام و پرداخت",
  buyBook: "🛒 سفارش کتاب",
  skipNotes: "⏭ توضیحی ندارم",
  cancelOrder: "❌ لغو سفارش",
  back: "🔙 بازگشت",
} as const

/** What students read about classes, courses, the book, orders and receipts. */
export const SHOP_TEXTS = {
  overview:
    "📚 کلاس‌های رایگان استاد حاتمی جمعه‌ها به‌صورت آنلاین در اسکای‌روم برگزار می‌شود؛ دوره‌های ویژه هم برای یادگیری عمیق‌تر آماده است.\nیکی را انتخاب کنید:",
  freeClassesTitle: "🆓 کلاس‌های رایگان (کلاس‌های پایهٔ شما اول آمده‌اند):",
  paidCoursesTitle: "💎 دوره‌های ویژه:",
  noFreeClasses: "فعلاً کلاس رایگانی برنامه‌ریزی نشده است.",
  noPaidCourses: "فعلاً دوره‌ای برای ثبت‌نام باز نیست.",
  forYourGrade: "⭐ ",
  seats: (taken: string, capacity: string) => `👥 ظرفیت: ${taken} از ${capacity} نفر`,
  unlimited: "👥 ظرفیت: نامحدود",
  full: "⛔ ظرفیت این کلاس تکمیل است.",
  enrolled: (title: string) =>
    `✅ ثبت‌نام شما در کلاس «${title}» انجام شد. لینک کلاس پیش از شروع برایتان فرستاده می‌شود.`,
  alreadyEnrolled: "شما قبلاً در این کلاس ثبت‌نام کرده‌اید.",
  left: (title: string) => `از کلاس «${title}» انصراف دادید.`,
  notEnrolled: "شما در این کلاس ثبت‌نام نکرده بودید.",
  youAreEnrolled: "✅ شما در این کلاس ثبت‌نام کرده‌اید.",
  priceSoon: "💰 قیمت و زمان ثبت‌نام این دوره به‌زودی اعلام می‌شود.",
  price: (price: string) => `💰 قیمت: ${price}`,
  startsOn: (date: string) => `📅 شروع: ${date}`,
  platform: (platform: string) => `🖥 محل برگزاری: ${platform}`,
  when: (schedule: string, duration: string) => `🗓 ${schedule} — ⏱ ${duration}`,
  audience: (grades: string, majors: string) => `🎯 مناسب: ${grades}${majors === "" ? "" : ` — ${majors}`}`,
  purchased: "✅ شما در این دوره ثبت‌نام کرده‌اید.",
  myCoursesTitle: "🎓 دوره‌های من:",
  myFree: "کلاس‌های رایگان:",
  myPaid: "دوره‌های ویژه:",
  myPending: "در انتظار بررسی پرداخت:",
  noCourses: "هنوز در هیچ کلاس یا دوره‌ای ثبت‌نام نکرده‌اید. از «📚 کلاس‌ها و دوره‌ها» شروع کنید.",
  book: (title: string, subtitle: string, author: string, pages: string, price: string, shipsOn: string) =>
    `📖 کتاب «${title}»${subtitle === "" ? "" : `\n${subtitle}`}${author === "" ? "" : `\n✍️ ${author}`}` +
    `${pages === "" ? "" : `\n📄 ${pages} صفحه`}\n💰 ${price}${shipsOn === "" ? "" : `\n🚚 ارسال: ${shipsOn}`}`,
  chapters: "فصل‌ها:",
  noBook: "فعلاً کتابی برای سفارش نیست.",
  paymentClosed: "😔 پرداخت کارت‌به‌کارت فعلاً ممکن نیست. لطفاً از راه‌های تماس با ما پیگیری کنید.",
  payment: (orderId: string, title: string, price: string, card: string, payee: string) =>
    `🧾 سفارش ${orderId}: «${title}»\n💰 مبلغ: ${price}\n\n` +
    `لطفاً این مبلغ را کارت‌به‌کارت کنید به:\n💳 ${card}${payee === "" ? "" : `\n👤 به نام ${payee}`}\n\n` +
    "سپس عکس رسید واریز را همین‌جا بفرستید. (روی شماره کارت بزنید تا کپی شود.)",
  orderReplaced: (title: string) => `سفارش قبلی شما («${title}») لغو شد.`,
  orderCancelled: "سفارش لغو شد.",
  underReview: "⏳ رسید شما برای این سفارش در حال بررسی است؛ نتیجه را همین‌جا خبر می‌دهیم.",
  askPostalCode: "📮 کد پستی ۱۰ رقمی محل دریافت کتاب را بفرستید:",
  askAddress: "🏠 نشانی کامل پستی را بنویسید (استان، شهر، خیابان، کوچه، پلاک، واحد):",
  askNotes: "📝 اگر توضیحی برای ارسال دارید بنویسید؛ وگرنه «⏭ توضیحی ندارم» را بزنید.",
  postalCodeDigits: (count: string) =>
    `❗ کد پستی باید دقیقاً ۱۰ رقم باشد (شما ${count} رقم فرستادید). دوباره بفرستید:`,
  addressTooShort: "❗ نشانی خیلی کوتاه است (دست‌کم ۱۰ حرف). لطفاً نشانی کامل را بنویسید:",
  addressTooLong: (length: string) =>
    `❗ نشانی حداکثر ۳۰۰ حرف است (الان ${length} حرف). لطفاً کوتاه‌تر بنویسید:`,
  notesTooLong: (length: string) =>
    `❗ توضیحات حداکثر ۳۰۰ حرف است (الان ${length} حرف). کوتاه‌تر بنویسید یا «⏭ توضیحی ندارم» را بزنید:`,
  shippingSummary: (postalCode: string, address: string, notes: string) =>
    `📦 ارسال به:\nکد پستی: ${postalCode}\nنشانی: ${address}${notes === "" ? "" : `\nتوضیحات: ${notes}`}`,
  finishAddressFirst: "📮 اول نشانی ارسال کتاب را کامل کنید؛ بعد عکس رسید را بفرستید.",
  photoNotExpected:
    "🖼 الان منتظر رسیدی از شما نیستیم. برای پرداخت، اول از «📚 کلاس‌ها و دوره‌ها» یا «📖 کتاب» سفارش ثبت کنید.",
  receiptAsPhoto: "🖼 لطفاً رسید را به‌صورت عکس بفرستید (نه فایل یا استیکر).",
  receiptUnderReview: "⏳ رسید قبلی شما هنوز در حال بررسی است؛ لطفاً منتظر بمانید.",
  duplicateReceipt: "❗ این تصویر قبلاً به‌عنوان رسید فرستاده شده است. لطفاً عکس رسید همین واریز را بفرستید.",
  receiptReceived: "✅ رسید شما دریافت شد و در حال بررسی است. نتیجه را همین‌جا به شما خبر می‌دهیم.",
  approvedCourse: (title: string) => `🎉 پرداخت شما تایید شد. ثبت‌نام در دورهٔ «${title}» کامل شد.`,
  approvedBook: (title: string, shipsOn: string) =>
    `🎉 پرداخت شما تایید شد. کتاب «${title}» ${shipsOn === "" ? "به‌زودی" : shipsOn} ارسال می‌شود.`,
  rejected: (reason: RejectionReason) =>
    `😔 رسید شما تایید نشد.\nدلیل: ${REJECTION_REASONS[reason]}\n\nمی‌توانید عکس رسید درست را همین‌جا بفرستید.`,
  staleButton: "این دکمه دیگر فعال نیست.",
  banned: "⛔ دسترسی شما به این ربات مسدود شده است.",
  contact: (telegram: string, email: string, website: string) =>
    `☎️ راه‌های ارتباط با استاد حاتمی:\nتلگرام: ${telegram}\nایمیل: ${email}\nوب‌سایت: ${website}`,
} as const
