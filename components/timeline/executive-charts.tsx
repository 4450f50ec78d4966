import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { ChartFigure } from "@/components/charts/chart-figure";
import { LazyBurnDownChart, LazyPhaseProgressChart } from "@/components/charts/lazy";
import { Section } from "@/components/dashboard/section";
import type { BurnDownData } from "@/lib/dal/timeline";
import { dayIso, dayToDate } from "@/lib/view/timeline";

/**
 * The executive dashboard's charts: items per phase (stacked) and the burn-down of open
 * phase items, each with its numbers as a table for every reader. It reads nothing itself:
 * the dashboard's data function counted the items and read the burn-down's daily projection.
 */
export async function ExecutiveCharts({ data }: { data: Pick<BurnDownData, "phases" | "burnDown"> }) {
  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  const { burnDown } = data;
  const day = (d: number) => format.dateTime(dayToDate(d), { day: "numeric", month: "short", year: "numeric" });
  const phaseLabel = (p: { position: number; name: string; optional: boolean }) =>
    `${t("timeline.phaseLabel", { number: p.position, name: p.name })}${p.optional ? ` ${t("timeline.optionalSuffix")}` : ""}`;
  // The chart gets every day counted so far, then the ideal line's end day and the last
  // day: after today only the ideal line goes on, straight to 0 and flat after it, so its
  // ends draw it (a plan's remaining months are not sent day by day).
  const counted = burnDown.points.filter((p) => p.open !== null || p.day === burnDown.idealEndDay);
  const last = burnDown.points.at(-1);
  const chartPoints = last && counted.at(-1) !== last ? [...counted, last] : counted;
  // The table reads week by week: the first day, every seventh day after it, today, and the
  // day the ideal line reaches 0 (a rollout months in would otherwise be a table of months of days).
  const rows = counted.filter((p) => p.day === burnDown.idealEndDay || (p.day - burnDown.startDay) % 7 === 0 || p.day === burnDown.today);

  return (
    <Section id="exec-charts" title={t("charts.execTitle")}>
      <div className="grid gap-6 lg:grid-cols-2">
        <div className="flex min-w-0 flex-col gap-2">
          <h3 className="font-semibold">{t("charts.progressTitle")}</h3>
          <ChartFigure id="phase-progress-figure" label={t("charts.progressLabel")} caption={t("charts.progressCaption")} minHeight={data.phases.length * 56 + 70}>
            <LazyPhaseProgressChart
              rows={data.phases.map((p) => ({ key: p.phaseId, label: phaseLabel(p), done: p.done, open: p.open, notApplicable: p.notApplicable }))}
              labels={{ done: t("charts.done"), open: t("charts.open"), notApplicable: t("charts.notApplicable") }}
            />
          </ChartFigure>
          <details className="text-sm">
            <summary className="cursor-pointer py-1 text-green-800 underline">{t("charts.showData")}</summary>
            <div className="mt-2 overflow-x-auto">
              <table className="data-table" data-testid="phase-progress-table">
                <caption className="mb-1 text-left text-slate-600">{t("charts.progressTableCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("charts.phase")}</th>
                    <th scope="col">{t("charts.done")}</th>
                    <th scope="col">{t("charts.open")}</th>
                    <th scope="col">{t("charts.notApplicable")}</th>
                    <th scope="col">{t("charts.total")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.phases.map((p) => (
                    <tr key={p.phaseId}>
                      <th scope="row">{phaseLabel(p)}</th>
                      <td>{p.done}</td>
                      <td>{p.open}</td>
                      <td>{p.notApplicable}</td>
                      <td>{p.total}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </div>

        <div className="flex min-w-0 flex-col gap-2">
          <h3 className="font-semibold">{t("charts.burnDownTitle")}</h3>
          <p className="text-sm text-slate-700">{t("charts.burnDownSummary", { open: burnDown.openNow, start: burnDown.startCount })}</p>
          <ChartFigure
            id="burn-down-figure"
            label={t("charts.burnDownLabel")}
            caption={
              burnDown.idealEndDay === null
                ? t("charts.burnDownCaptionNoEnd", { start: day(burnDown.startDay) })
                : t("charts.burnDownCaption", { start: day(burnDown.startDay), end: day(burnDown.idealEndDay) })
            }
            minHeight={300}
          >
            <LazyBurnDownChart
              locale={locale}
              today={burnDown.today}
              points={chartPoints}
              labels={{ open: t("charts.openItems"), ideal: t("charts.ideal"), today: t("charts.today") }}
            />
          </ChartFigure>
          <details className="text-sm">
            <summary className="cursor-pointer py-1 text-green-800 underline">{t("charts.showData")}</summary>
            <div className="mt-2 max-h-96 overflow-auto">
              <table className="data-table" data-testid="burn-down-table">
                <caption className="mb-1 text-left text-slate-600">{t("charts.burnDownTableCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("charts.date")}</th>
                    <th scope="col">{t("charts.openItems")}</th>
                    <th scope="col">{t("charts.ideal")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((p) => (
                    <tr key={p.day}>
                      <th scope="row" className="font-normal">
                        <time dateTime={dayIso(p.day)}>{day(p.day)}</time>
                      </th>
                      <td>{p.open ?? t("charts.noData")}</td>
                      <td>{p.ideal === null ? t("charts.noData") : format.number(p.ideal, { maximumFractionDigits: 1 })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </div>
      </div>
    </Section>
  );
}
