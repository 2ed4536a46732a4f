/** The words on the /stats charts: titles, axes, legends. */
export const CHART_TEXTS = {
  others: "سایر",
  noStudents: "هنوز دانش‌آموزی ثبت‌نام نکرده است.",
  noReceipts: "هنوز رسیدی فرستاده نشده است.",
  daysTitle: (days: string) => `ثبت‌نام‌ها در ${days} روز گذشته`,
  day: "روز",
  registrations: "ثبت‌نام",
  gradesTitle: "دانش‌آموزان به تفکیک پایه و رشته",
  grade: "پایه",
  major: "رشته",
  students: "دانش‌آموز",
  provincesTitle: "استان‌هایی که بیشترین دانش‌آموز را دارند",
  receiptsTitle: "رسیدها به تفکیک دوره (تومان)",
  toman: "تومان",
  approved: "تأییدشده",
  pending: "در انتظار بررسی",
  rejected: "ردشده",
} as const
