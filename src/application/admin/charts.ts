import type { Order } from "../../domain/order.ts"
import { GRADES, MAJORS } from "../../domain/school.ts"
import type { Statistics } from "../../domain/statistics.ts"
import type { ChartSpec } from "../ports/chart-renderer.ts"
import { CHART_TEXTS } from "./chart-texts.ts"

/** The charts /stats sends, by the name an admin may ask for one with (`/stats days`). */
export const CHART_NAMES = ["days", "grades", "provinces", "receipts"] as const
export type ChartName = (typeof CHART_NAMES)[number]

export const isChartName = (name: string): name is ChartName =>
  (CHART_NAMES as ReadonlyArray<string>).includes(name)

export type Chart = {
  readonly name: ChartName
  /** What the chart shows, in Persian: its title, and the photo's caption. */
  readonly title: string
  readonly spec: ChartSpec
}

/** Days of registrations the chart shows. */
export const CHART_DAYS = 30
const TOP_PROVINCES = 10
const OTHERS = CHART_TEXTS.others

const FONT = "Vazirmatn"
const WIDTH = 640
const HEIGHT = 360

const jalaliDay = new Intl.DateTimeFormat("fa-IR-u-ca-persian", {
  month: "long",
  day: "numeric",
  timeZone: "UTC",
})

/** Vega's expression that writes an axis label's Latin digits as Persian ones (۰–۹). */
const persianDigits = (expression: string): string =>
  Array.from({ length: 10 }, (_, digit) => digit).reduce(
    (inner, digit) => `replace(${inner}, regexp('${digit}', 'g'), '${String.fromCharCode(0x06f0 + digit)}')`,
    expression,
  )
const PERSIAN_LABELS = persianDigits("datum.label")

/** Counts are whole numbers: ticks at integers, labels in Persian digits, thousands with a Persian comma. */
const countAxis = (title: string) => ({
  title,
  format: ",d",
  tickMinStep: 1,
  labelExpr: `replace(${PERSIAN_LABELS}, regexp(',', 'g'), '٬')`,
})

const frame = (title: string) => ({
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  title: { text: title, fontSize: 20, anchor: "middle" },
  width: WIDTH,
  height: HEIGHT,
  background: "white",
  padding: 16,
  config: {
    font: FONT,
    axis: { labelFontSize: 13, titleFontSize: 14, labelFont: FONT, titleFont: FONT },
    legend: { labelFontSize: 13, titleFontSize: 14, labelFont: FONT, titleFont: FONT },
    title: { font: FONT },
    view: { stroke: null },
  },
})

/** A chart with nothing to draw says so, in the middle of its frame. */
const saying = (title: string, text: string): ChartSpec => ({
  ...frame(title),
  data: { values: [{ text }] },
  mark: { type: "text", fontSize: 22, color: "#555" },
  encoding: { text: { field: "text" } },
})

/** A bar chart of `values`, or, when there is nothing to draw (`empty` says so, in words), that picture. */
const barChart = (
  name: ChartName,
  title: string,
  draw: {
    readonly empty: string | undefined
    readonly values: ReadonlyArray<object>
    readonly color?: string
    readonly encoding: Readonly<Record<string, unknown>>
  },
): Chart => ({
  name,
  title,
  spec:
    draw.empty !== undefined
      ? saying(title, draw.empty)
      : {
          ...frame(title),
          data: { values: draw.values },
          mark: {
            type: "bar",
            ...(draw.color === undefined ? {} : { color: draw.color }),
            cornerRadiusEnd: 2,
          },
          encoding: draw.encoding,
        },
})

const NO_STUDENTS = CHART_TEXTS.noStudents
const NO_RECEIPTS = CHART_TEXTS.noReceipts

/** 1. Registrations per day, the last CHART_DAYS days (Tehran's days, named in the Jalali calendar). */
export const daysChart = (stats: Statistics): Chart => {
  const title = CHART_TEXTS.daysTitle(jalaliDigits(CHART_DAYS))
  const values = stats.perDay.map(([day, count]) => ({
    day: jalaliDay.format(new Date(`${day}T12:00:00Z`)),
    count,
  }))
  return barChart("days", title, {
    empty: stats.total === 0 ? NO_STUDENTS : undefined,
    values,
    color: "#4c78a8",
    encoding: {
      x: { field: "day", type: "ordinal", sort: null, title: CHART_TEXTS.day, axis: { labelAngle: -60 } },
      y: { field: "count", type: "quantitative", axis: countAxis(CHART_TEXTS.registrations) },
    },
  })
}

/** 2. Students by grade, split by major (grouped bars). */
export const gradesChart = (stats: Statistics): Chart => {
  const title = CHART_TEXTS.gradesTitle
  const values = stats.byGradeAndMajor.map(([grade, major, count]) => ({ grade, major, count }))
  return barChart("grades", title, {
    empty: stats.total === 0 ? NO_STUDENTS : undefined,
    values,
    encoding: {
      x: {
        field: "grade",
        type: "nominal",
        sort: [...GRADES],
        title: CHART_TEXTS.grade,
        axis: { labelAngle: 0 },
      },
      xOffset: { field: "major", type: "nominal", sort: [...MAJORS] },
      y: { field: "count", type: "quantitative", axis: countAxis(CHART_TEXTS.students) },
      color: { field: "major", type: "nominal", sort: [...MAJORS], title: CHART_TEXTS.major },
    },
  })
}

/** The provinces with most students, the rest summed as «سایر». */
export const topProvinces = (
  byProvince: Statistics["byProvince"],
  top = TOP_PROVINCES,
): ReadonlyArray<{ readonly province: string; readonly count: number }> => {
  const shown = byProvince.slice(0, top).map(([province, count]) => ({ province, count }))
  const rest = byProvince.slice(top).reduce((sum, [, count]) => sum + count, 0)
  return rest > 0 ? [...shown, { province: OTHERS, count: rest }] : shown
}

/** 3. The ten provinces with most students (horizontal bars), the others as «سایر». */
export const provincesChart = (stats: Statistics): Chart => {
  const title = CHART_TEXTS.provincesTitle
  return barChart("provinces", title, {
    empty: stats.total === 0 ? NO_STUDENTS : undefined,
    values: topProvinces(stats.byProvince),
    color: "#54a24b",
    encoding: {
      y: { field: "province", type: "nominal", sort: null, title: null, axis: { labelLimit: 320 } },
      x: { field: "count", type: "quantitative", axis: countAxis(CHART_TEXTS.students) },
    },
  })
}

export type ReceiptStatus = "approved" | "pending" | "rejected"
const STATUS_LABELS: Record<ReceiptStatus, string> = {
  approved: CHART_TEXTS.approved,
  pending: CHART_TEXTS.pending,
  rejected: CHART_TEXTS.rejected,
}

/** Every receipt by what it paid for and what became of it, with the amounts in toman. */
export const receiptTotals = (
  orders: ReadonlyArray<Order>,
): ReadonlyArray<{
  readonly item: string
  readonly status: string
  readonly receipts: number
  readonly toman: number
}> => {
  const totals = new Map<string, { item: string; status: ReceiptStatus; receipts: number; toman: number }>()
  for (const order of orders) {
    for (const receipt of order.receipts) {
      const status: ReceiptStatus =
        receipt.decision === undefined
          ? "pending"
          : receipt.decision.verdict === "approved"
            ? "approved"
            : "rejected"
      const key = `${order.item.title}|${status}`
      const entry = totals.get(key) ?? { item: order.item.title, status, receipts: 0, toman: 0 }
      entry.receipts += 1
      entry.toman += order.item.priceToman
      totals.set(key, entry)
    }
  }
  const order = (status: ReceiptStatus) => Object.keys(STATUS_LABELS).indexOf(status)
  return [...totals.values()]
    .sort((a, b) => a.item.localeCompare(b.item, "fa") || order(a.status) - order(b.status))
    .map((entry) => ({ ...entry, status: STATUS_LABELS[entry.status] }))
}

/** 4. Receipts per course or book: approved, pending, rejected, as amounts in toman. */
export const receiptsChart = (orders: ReadonlyArray<Order>): Chart => {
  const title = CHART_TEXTS.receiptsTitle
  const values = receiptTotals(orders)
  const statuses = Object.values(STATUS_LABELS)
  return barChart("receipts", title, {
    empty: values.length === 0 ? NO_RECEIPTS : undefined,
    values,
    encoding: {
      x: { field: "item", type: "nominal", title: null, axis: { labelAngle: 0, labelLimit: 200 } },
      xOffset: { field: "status", type: "nominal", sort: statuses },
      y: { field: "toman", type: "quantitative", axis: countAxis(CHART_TEXTS.toman) },
      color: {
        field: "status",
        type: "nominal",
        sort: statuses,
        title: null,
        scale: { domain: statuses, range: ["#54a24b", "#f58518", "#e45756"] },
      },
    },
  })
}

const jalaliDigits = (n: number) =>
  String(n).replace(/\d/g, (digit) => String.fromCharCode(0x06f0 + Number(digit)))

/** The charts for these statistics and orders, all or the one named. */
export const chartsOf = (
  stats: Statistics,
  orders: ReadonlyArray<Order>,
  only?: ChartName,
): ReadonlyArray<Chart> => {
  const all: Record<ChartName, () => Chart> = {
    days: () => daysChart(stats),
    grades: () => gradesChart(stats),
    provinces: () => provincesChart(stats),
    receipts: () => receiptsChart(orders),
  }
  return (only === undefined ? CHART_NAMES : [only]).map((name) => all[name]())
}
