import { useFormatter, useTranslations } from "next-intl";
import { PlanText } from "@/components/ui/plan-text";
import { PlanWording } from "@/components/ui/plan-wording";
import { dayIso, dayToDate, type TimelineMilestoneRow } from "@/lib/view/timeline";

/** The plan's milestones in date order, numbered as on the chart, with their details. */
export function MilestoneList({ milestones }: { milestones: TimelineMilestoneRow[] }) {
  const t = useTranslations("timeline");
  const format = useFormatter();
  if (milestones.length === 0) return <p className="text-slate-600">{t("noMilestones")}</p>;
  const text = (day: number) => format.dateTime(dayToDate(day), { day: "numeric", month: "short", year: "numeric" });
  return (
    <ol className="flex flex-col gap-3 text-sm" data-testid="milestone-list">
      {milestones.map((m, index) => (
        <li key={m.id} className="flex gap-3 border-t border-slate-100 pt-3 first:border-t-0 first:pt-0">
          <span aria-hidden="true" className="mt-0.5 inline-flex h-6 w-6 shrink-0 items-center justify-center rounded-full bg-violet-100 text-xs font-bold text-violet-800">
            {index + 1}
          </span>
          <div>
            <p className="font-semibold">
              {m.end !== null && m.end !== m.start ? (
                t("milestoneDates", { start: text(m.start), end: text(m.end) })
              ) : (
                <time dateTime={dayIso(m.start)}>{text(m.start)}</time>
              )}
            </p>
            <PlanWording text={m.label} className="block text-slate-600" />
            {m.details.length > 0 ? (
              <ul className="mt-1 list-disc pl-5 text-slate-700">
                {m.details.map((detail, i) => (
                  <li key={i}>
                    <PlanText text={detail} />
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
