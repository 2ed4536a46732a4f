import { Either, ParseResult, Schema } from "effect"
import { toPersianDigits } from "./digits.ts"
import { Grade, Major } from "./school.ts"

const CatalogId = Schema.String.pipe(Schema.pattern(/^[a-z0-9_]{1,48}$/))
const Text = Schema.String.pipe(Schema.minLength(1))
const Toman = Schema.Number.pipe(Schema.int(), Schema.nonNegative())

/** A class or course as data/catalog.json describes it (snake_case as the operator writes it). */
export const Course = Schema.Struct({
  id: CatalogId,
  kind: Schema.Literal("free", "paid"),
  title: Text,
  description: Schema.optionalWith(Schema.String, { default: () => "" }),
  duration: Text,
  schedule: Text,
  platform: Schema.optional(Schema.String),
  start_date: Schema.optional(Schema.String),
  target_grades: Schema.optionalWith(Schema.Array(Grade), { default: () => [] }),
  target_majors: Schema.optionalWith(Schema.Array(Major), { default: () => [] }),
  /** Paid courses: 0 means the price is not announced yet (no order can be placed). */
  price_toman: Toman,
  /** 0 means no limit. */
  capacity: Toman,
})
export type Course = typeof Course.Type

export const Book = Schema.Struct({
  id: CatalogId,
  title: Text,
  subtitle: Schema.optional(Schema.String),
  author: Schema.optional(Schema.String),
  description: Schema.optionalWith(Schema.String, { default: () => "" }),
  price_toman: Toman.pipe(Schema.positive()),
  pages: Schema.optional(Schema.Number),
  target_grades: Schema.optionalWith(Schema.Array(Grade), { default: () => [] }),
  target_majors: Schema.optionalWith(Schema.Array(Major), { default: () => [] }),
  chapters: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  ships_on: Schema.optional(Schema.String),
})
export type Book = typeof Book.Type

export const Catalog = Schema.Struct({
  contact: Schema.Struct({ telegram: Text, email: Text, website: Text }),
  courses: Schema.Array(Course),
  books: Schema.Array(Book),
}).pipe(
  Schema.filter((catalog) => {
    const ids = [...catalog.courses, ...catalog.books].map((item) => item.id)
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index)
    if (duplicate !== undefined) return `id "${duplicate}" is used twice`
    const pricedFree = catalog.courses.find((course) => course.kind === "free" && course.price_toman !== 0)
    return pricedFree === undefined || `free class "${pricedFree.id}" has a price`
  }),
)
export type Catalog = typeof Catalog.Type

/** Reads the operator's catalog; the error says what to fix. */
export const decodeCatalog = (raw: unknown): Either.Either<Catalog, string> =>
  Schema.decodeUnknownEither(Catalog)(raw).pipe(
    Either.mapLeft((error) => ParseResult.TreeFormatter.formatErrorSync(error)),
  )

export const freeClasses = (catalog: Catalog): ReadonlyArray<Course> =>
  catalog.courses.filter((course) => course.kind === "free")

export const paidCourses = (catalog: Catalog): ReadonlyArray<Course> =>
  catalog.courses.filter((course) => course.kind === "paid")

/** Free classes with those meant for the student's grade first, catalog order kept otherwise. */
export const freeClassesFor = (catalog: Catalog, grade: Grade): ReadonlyArray<Course> => {
  const all = freeClasses(catalog)
  const mine = all.filter((course) => course.target_grades.includes(grade))
  return [...mine, ...all.filter((course) => !mine.includes(course))]
}

export const findCourse = (catalog: Catalog, id: string): Course | undefined =>
  catalog.courses.find((course) => course.id === id)

export const findBook = (catalog: Catalog, id: string): Book | undefined =>
  catalog.books.find((book) => book.id === id)

/** A paid course can be bought once its price is announced. */
export const isOnSale = (course: Course): boolean => course.kind === "paid" && course.price_toman > 0

export const hasRoom = (course: Course, taken: number): boolean =>
  course.capacity === 0 || taken < course.capacity

/** 500000 → "۵۰۰٬۰۰۰ تومان" (Persian digits, Persian thousands separator). */
export const formatToman = (toman: number): string =>
  `${toPersianDigits(String(toman).replace(/\B(?=(\d{3})+(?!\d))/g, ","))} تومان`.replace(/,/g, "٬")
