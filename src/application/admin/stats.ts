import { Effect } from "effect"
import { toPersianDigits } from "../../domain/digits.ts"
import { computeStatistics } from "../../domain/statistics.ts"
import { useCase } from "../common/use-case.ts"
import { ChartRenderer } from "../ports/chart-renderer.ts"
import { currentDate } from "../ports/clock.ts"
import { Ids } from "../ports/ids.ts"
import { type ChatId, Messenger } from "../ports/messenger.ts"
import { OrderStore } from "../ports/order-store.ts"
import { StudentDirectory } from "../ports/student-directory.ts"
import { ADMIN_TEXTS } from "./admin-texts.ts"
import { CHART_DAYS, type Chart, chartsOf, isChartName } from "./charts.ts"

const fa = (n: number) => toPersianDigits(n)

const jalaliDay = new Intl.DateTimeFormat("fa-IR-u-ca-persian", {
  month: "long",
  day: "numeric",
  timeZone: "UTC",
})

/**
 * /stats: totals by grade, major and province, registrations per day (14 days), receipts waiting — then the
 * four charts (chartsOf). `/stats days` (or grades, provinces, receipts): that chart alone.
 */
export const statistics = useCase("Admin.stats")(function* (chatId: ChatId, argument?: string) {
  const messenger = yield* Messenger
  const only = (argument ?? "").trim().toLowerCase()
  if (only !== "" && !isChartName(only)) {
    yield* messenger.send(chatId, { text: ADMIN_TEXTS.unknownChart(only) })
    return
  }
  const directory = yield* StudentDirectory
  const summaries = yield* directory.summaries
  const now = yield* currentDate
  const orders = yield* (yield* OrderStore).all
  const pending = orders.filter((order) => order.status === "under_review").length
  const stats = computeStatistics(summaries, now, pending, CHART_DAYS)
  if (only === "") {
    const pairs = (entries: ReadonlyArray<readonly [string, number]>) =>
      entries.map(([name, count]) => ADMIN_TEXTS.countOf(name, fa(count)))
    const body = ADMIN_TEXTS.statsBody({
      total: fa(stats.total),
      grades: pairs(stats.byGrade),
      majors: pairs(stats.byMajor),
      provinces: pairs(stats.byProvince),
      days: pairs(
        stats.perDay
          .slice(-14)
          .map(([day, count]) => [jalaliDay.format(new Date(`${day}T12:00:00Z`)), count]),
      ),
      pending: fa(stats.pendingReceipts),
    })
    yield* messenger.send(chatId, { text: ADMIN_TEXTS.stats(body) })
  }
  yield* sendCharts(chatId, chartsOf(stats, orders, only === "" ? undefined : only))
})

/**
 * Each chart as a photo, captioned with its title. A chart that cannot be drawn or sent costs the admin one
 * line naming it, with an error id (logged with the cause); the others, and the text, still arrive.
 */
const sendCharts = (chatId: ChatId, charts: ReadonlyArray<Chart>) =>
  Effect.gen(function* () {
    const renderer = yield* ChartRenderer
    const messenger = yield* Messenger
    const failed: Array<{ readonly chart: Chart; readonly detail: string }> = []
    for (const chart of charts) {
      const sent = yield* renderer.render(chart.spec).pipe(
        Effect.flatMap((png) =>
          messenger.sendImage(
            chatId,
            { fileName: `${chart.name}.png`, mimeType: "image/png", content: png },
            chart.title,
          ),
        ),
        Effect.either,
      )
      if (sent._tag === "Left") failed.push({ chart, detail: sent.left.detail })
    }
    if (failed.length === 0) return
    const id = yield* (yield* Ids).next
    yield* Effect.logError(
      `charts unavailable [${id}]: ${failed.map(({ chart, detail }) => `${chart.name}: ${detail}`).join("; ")}`,
    ).pipe(Effect.annotateLogs({ errorId: id }))
    yield* messenger.send(chatId, {
      text: ADMIN_TEXTS.chartsUnavailable(
        failed.map(({ chart }) => chart.title),
        id,
      ),
    })
  })
