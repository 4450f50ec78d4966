import type { Metadata } from "next";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { ChartFigure } from "@/components/charts/chart-figure";
import { GanttChart } from "@/components/charts/gantt-chart";
import type { GanttChartProps } from "@/components/charts/types";
import { Section } from "@/components/dashboard/section";
import { MilestoneList } from "@/components/timeline/milestone-list";
import { PhaseTable } from "@/components/timeline/phase-table";
import { requirePageActor } from "@/lib/auth/session";
import { getTimeline } from "@/lib/dal/timeline";
import { orNotFound } from "@/lib/server/page";
import { dayToDate, shapeTimeline } from "@/lib/view/timeline";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("timeline");
  return { title: t("title") };
}

export default async function TimelinePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePageActor();
  const [timeline, t, format, locale] = await Promise.all([
    orNotFound(getTimeline(actor, slug)),
    getTranslations(),
    getFormatter(),
    getLocale(),
  ]);
  const view = shapeTimeline(timeline, new Date());
  const base = `/r/${timeline.rollout.slug}`;
  const phaseLabel = (p: { position: number; name: string; optional: boolean }) =>
    `${t("timeline.phaseLabel", { number: p.position, name: p.name })}${p.optional ? ` ${t("timeline.optionalSuffix")}` : ""}`;

  const chart: GanttChartProps = {
    locale,
    domain: view.domain,
    ticks: view.ticks,
    today: view.today,
    rows: view.phases.map((p) => ({
      key: p.id,
      label: phaseLabel(p),
      optional: p.optional,
      late: p.slippage.late,
      planned: p.planned,
      actual: p.actual,
      marker: p.slippage.late && p.slippage.days !== null ? t("timeline.lateMarker", { days: p.slippage.days }) : null,
    })),
    milestones: view.milestones.map((m) => ({ key: m.key, day: m.start, label: m.label })),
    labels: {
      planned: t("charts.planned"),
      actual: t("charts.actual"),
      late: t("charts.late"),
      optional: t("charts.optional"),
      today: t("charts.today"),
      milestone: t("charts.milestone"),
    },
  };

  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium text-slate-600">{timeline.rollout.name}</p>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("timeline.title")}</h1>
        <p className="mt-1 text-slate-600">{t("timeline.intro")}</p>
        <p className="text-sm text-slate-600">
          {t("timeline.today", { date: format.dateTime(dayToDate(view.today), { weekday: "long", day: "numeric", month: "long", year: "numeric" }) })}
        </p>
      </div>

      <Section id="timeline-chart" title={t("timeline.chartTitle")}>
        {view.phases.length === 0 ? (
          <p className="text-slate-600">{t("timeline.noPhases")}</p>
        ) : (
          <ChartFigure id="timeline-figure" label={t("timeline.chartLabel")} caption={t("timeline.chartCaption")}>
            <GanttChart id="timeline-gantt" {...chart} />
          </ChartFigure>
        )}
      </Section>

      <Section id="timeline-phases" title={t("timeline.phasesTitle")}>
        <PhaseTable phases={view.phases} today={view.today} base={base} />
      </Section>

      <Section id="timeline-milestones" title={t("timeline.milestonesTitle")}>
        <MilestoneList milestones={view.milestones} />
      </Section>
    </div>
  );
}
