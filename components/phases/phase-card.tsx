import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import type { PhaseOverview } from "@/lib/dal/overview";
import { PHASE_CARD_BLOCKERS, PHASE_CARD_BLOCKERS_AHEAD } from "@/lib/view/limits";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { PlanWording } from "@/components/ui/plan-wording";
import { GateSummary } from "@/components/gate/gate-summary";
import { PhaseStatusBadge } from "./phase-status-badge";

export function PhaseCard({ phase, href }: { phase: PhaseOverview; href: string }) {
  const t = useTranslations("overview");
  const format = useFormatter();
  const { progress } = phase;
  const day = (date: Date) => format.dateTime(date, { day: "numeric", month: "short", year: "numeric" });
  const headingId = `phase-${phase.position}-title`;

  return (
    <Card as="li" className="flex flex-col gap-4">
      <header className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">{t("phaseNumber", { number: phase.position })}</p>
          <h3 id={headingId} className="text-lg font-semibold text-slate-900">
            <Link href={href} className="hover:underline">
              {phase.name}
            </Link>
          </h3>
          {phase.goal ? <p className="text-sm text-slate-600">{phase.goal}</p> : null}
        </div>
        <div className="flex flex-wrap gap-1.5">
          <PhaseStatusBadge status={phase.status} />
          {phase.optional ? (
            <Badge tone="neutral" icon="diamond">
              {t("optional")}
            </Badge>
          ) : null}
        </div>
      </header>

      <dl className="grid gap-1 text-sm sm:grid-cols-[auto_1fr] sm:gap-x-3">
        <dt className="font-medium text-slate-700">{t("planned")}</dt>
        <dd className="text-slate-600">
          {phase.plannedStart && phase.plannedEnd
            ? t("window", { start: day(phase.plannedStart), end: day(phase.plannedEnd) })
            : t("noWindow")}
          {phase.window ? <PlanWording text={phase.window} /> : null}
        </dd>
      </dl>

      <div>
        <ProgressBar
          percent={progress.percent}
          label={t("progress")}
          valueText={progress.notApplicable > 0 ? t("progressValueNa", { done: progress.done, total: progress.total, count: progress.notApplicable }) : t("progressValue", { done: progress.done, total: progress.total })}
        />
      </div>

      <section aria-labelledby={`${headingId}-gate ${headingId}`} className="flex flex-col gap-1 rounded-lg bg-slate-50 p-3 text-sm">
        <h4 id={`${headingId}-gate`} className="font-semibold text-slate-800">
          {t("gate")}
        </h4>
        {phase.blockedReason ? <p className="text-red-800">{t("blockedReason", { reason: phase.blockedReason })}</p> : null}
        <GateSummary gate={phase.gateState} shown={phase.status === "NOT_STARTED" ? PHASE_CARD_BLOCKERS_AHEAD : PHASE_CARD_BLOCKERS} href={`${href}#phase-gate`} />
      </section>
    </Card>
  );
}
