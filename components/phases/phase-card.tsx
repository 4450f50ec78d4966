import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import type { PhaseOverview } from "@/lib/dal/overview";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { StatusIcon } from "@/components/ui/status-icon";
import { summarizeBlockers } from "@/lib/domain/gate";
import { PhaseStatusBadge } from "./phase-status-badge";

const BLOCKERS_SHOWN = 10;

export function PhaseCard({ phase, href }: { phase: PhaseOverview; href: string }) {
  const t = useTranslations("overview");
  const format = useFormatter();
  const { gate, progress } = phase;
  const day = (date: Date) => format.dateTime(date, { day: "numeric", month: "short", year: "numeric" });
  const headingId = `phase-${phase.position}-title`;
  const blockerLines = summarizeBlockers(gate.blockers, t("securityPolicies"));

  return (
    <Card as="li" className="flex flex-col gap-4">
      <header className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t("phaseNumber", { number: phase.position })}</p>
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
          {phase.window ? <span className="text-slate-500"> · {phase.window}</span> : null}
        </dd>
      </dl>

      <div>
        <ProgressBar
          percent={progress.percent}
          label={t("progress")}
          valueText={t("progressValue", { done: progress.done, total: progress.total })}
        />
        {progress.notApplicable > 0 ? (
          <p className="mt-1 text-xs text-slate-500">{t("notApplicable", { count: progress.notApplicable })}</p>
        ) : null}
      </div>

      <section aria-labelledby={`${headingId}-gate`} className="rounded-lg bg-slate-50 p-3 text-sm">
        <h4 id={`${headingId}-gate`} className="font-semibold text-slate-800">
          {gate.open ? (
            <span className="flex items-center gap-1.5 text-green-800">
              <StatusIcon name="check" />
              {t("gateOpen")}
            </span>
          ) : (
            t("gateBlocked")
          )}
        </h4>
        {phase.blockedReason ? <p className="mt-1 text-red-800">{t("blockedReason", { reason: phase.blockedReason })}</p> : null}
        {!gate.open ? (
          <>
            <ul className="mt-1 flex flex-wrap gap-1.5">
              {gate.rejectedSignOffs > 0 ? <li><Badge tone="danger" icon="cross">{t("rejectedSignOffs", { count: gate.rejectedSignOffs })}</Badge></li> : null}
              {gate.pendingSignOffs > 0 ? <li><Badge tone="warning" icon="clock">{t("pendingSignOffs", { count: gate.pendingSignOffs })}</Badge></li> : null}
              {gate.openItems > 0 ? <li><Badge tone="neutral" icon="box">{t("openItems", { count: gate.openItems })}</Badge></li> : null}
            </ul>
            <ul className="mt-2 list-disc space-y-0.5 pl-5 text-slate-700">
              {blockerLines.slice(0, BLOCKERS_SHOWN).map((line) => (
                <li key={line.key}>
                  {line.count > 1 ? t("blockerGroup", { label: line.label, count: line.count }) : line.label}
                </li>
              ))}
            </ul>
            {blockerLines.length > BLOCKERS_SHOWN ? (
              <p className="mt-1 text-slate-500">{t("andMore", { count: blockerLines.length - BLOCKERS_SHOWN })}</p>
            ) : null}
          </>
        ) : null}
      </section>
    </Card>
  );
}
