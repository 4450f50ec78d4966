import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { PhaseStatusBadge } from "@/components/phases/phase-status-badge";
import { Badge } from "@/components/ui/badge";
import { dayIso, dayToDate, type TimelinePhaseRow } from "@/lib/view/timeline";

/** The timeline as a table: what the Gantt chart shows, for every reader. */
export function PhaseTable({ phases, today, base }: { phases: TimelinePhaseRow[]; today: number; base: string }) {
  const t = useTranslations("timeline");
  const format = useFormatter();
  const date = (day: number | null) =>
    day === null ? t("none") : <time dateTime={dayIso(day)}>{format.dateTime(dayToDate(day), { day: "numeric", month: "short", year: "numeric" })}</time>;
  const todayText = format.dateTime(dayToDate(today), { day: "numeric", month: "short", year: "numeric" });

  const slippage = ({ slippage: s }: TimelinePhaseRow) => {
    if (s.days === null) return t("none");
    if (s.late) return <Badge tone="danger" icon="clock">{t(s.ongoing ? "lateOngoing" : "late", { days: s.days })}</Badge>;
    if (s.days < 0) return t("early", { days: -s.days });
    return t("onTime");
  };

  const th = "border-b border-slate-300 px-2 py-2 text-left font-semibold text-slate-700";
  const td = "border-b border-slate-100 px-2 py-2 align-top";
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[46rem] border-collapse text-sm" data-testid="timeline-table">
        <caption className="mb-2 text-left text-slate-600">{t("tableCaption")}</caption>
        <thead>
          <tr>
            <th scope="col" className={th}>{t("phase")}</th>
            <th scope="col" className={th}>{t("plannedStart")}</th>
            <th scope="col" className={th}>{t("plannedEnd")}</th>
            <th scope="col" className={th}>{t("actualStart")}</th>
            <th scope="col" className={th}>{t("actualEnd")}</th>
            <th scope="col" className={th}>{t("status")}</th>
            <th scope="col" className={th}>{t("slippage")}</th>
            <th scope="col" className={th}>{t("optional")}</th>
          </tr>
        </thead>
        <tbody>
          {phases.map((phase) => (
            <tr key={phase.id} data-late={phase.slippage.late || undefined}>
              <th scope="row" className={`${td} text-left font-medium`}>
                <Link href={`${base}/phases/${phase.position}`} className="text-green-800 underline">
                  {t("phaseLabel", { number: phase.position, name: phase.name })}
                </Link>
              </th>
              <td className={td}>{date(phase.plannedStart)}</td>
              <td className={td}>{date(phase.plannedEnd)}</td>
              <td className={td}>{date(phase.actualStart)}</td>
              <td className={td}>{phase.running ? t("running", { date: todayText }) : date(phase.actualEnd)}</td>
              <td className={td}><PhaseStatusBadge status={phase.status} /></td>
              <td className={td}>{slippage(phase)}</td>
              <td className={td}>{phase.optional ? t("yes") : t("no")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
