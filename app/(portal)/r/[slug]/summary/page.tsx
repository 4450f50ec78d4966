import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { GateSummary } from "@/components/gate/gate-summary";
import { PlanWording } from "@/components/ui/plan-wording";
import { PrintButton } from "@/components/ui/print-button";
import { requirePageActor } from "@/lib/auth/session";
import { getRolloutSummary } from "@/lib/dal/gate-pages";
import { orNotFound } from "@/lib/server/page";
import { isLookupKey } from "@/lib/validation/input";
import { formatAmount } from "@/lib/view/dashboard";

/** The print-ready summary for leadership: progress, gates, decisions, risk, budget, reading. */
export default async function SummaryPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePageActor();
  if (!isLookupKey(slug)) notFound();
  // Every figure counted or summed in SQL, the phases with their gates: bounded whatever the plan's size.
  const summary = await orNotFound(getRolloutSummary(actor, slug));
  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  const now = new Date();
  const { overall, budget, phases } = summary;
  const signOffCounts = summary.signOffs;
  const blockedPhases = phases.filter((p) => p.status === "BLOCKED").length;
  const overridden = phases.filter((p) => p.overrideReason);
  const day = (d: Date | null) => (d ? format.dateTime(d, { day: "numeric", month: "short", year: "numeric" }) : "—");

  return (
    <article className="mx-auto flex w-full max-w-3xl flex-col gap-5 bg-white p-6 print:max-w-none print:p-0">
      <header className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-300 pb-4">
        <div>
          <p className="text-sm uppercase tracking-wide text-slate-600">{t("summary.kicker")}</p>
          <h1 className="text-2xl font-bold">{summary.rollout.name}</h1>
          <p className="text-sm text-slate-600">{t("summary.asOf", { date: day(now) })}</p>
        </div>
        <PrintButton label={t("certificate.print")} />
      </header>
      <p>{t("summary.progress", { done: overall.done, total: overall.total, percent: overall.percent })}</p>
      {/* On a phone the table scrolls sideways on its own, not the page. */}
      <div className="-mx-2 overflow-x-auto px-2 print:overflow-visible">
      <table className="w-full min-w-[36rem] border-collapse text-left text-sm">
        <caption className="mb-1 text-left font-semibold">{t("overview.phases")}</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-1 pr-2">{t("summary.phase")}</th>
            <th scope="col" className="py-1 pr-2">{t("summary.status")}</th>
            <th scope="col" className="py-1 pr-2">{t("phase.planned")}</th>
            <th scope="col" className="py-1 pr-2">{t("overview.progress")}</th>
            <th scope="col" className="py-1">{t("overview.gate")}</th>
          </tr>
        </thead>
        <tbody>
          {phases.map((phase) => (
            <tr key={phase.id} className="border-b border-slate-200 align-top">
              <th scope="row" className="py-1 pr-2 font-normal">{phase.position}. {phase.name}{phase.optional ? ` (${t("overview.optional")})` : ""}</th>
              <td className="py-1 pr-2">{t(`status.${phase.status}`)}</td>
              <td className="py-1 pr-2">{day(phase.plannedStart)} – {day(phase.plannedEnd)}{phase.window ? <PlanWording text={phase.window} /> : null}</td>
              <td className="py-1 pr-2">
                {phase.progress.done}/{phase.progress.total}
                {phase.progress.notApplicable > 0 ? <span className="block text-xs text-slate-600">{t("overview.notApplicable", { count: phase.progress.notApplicable })}</span> : null}
              </td>
              <td className="py-1"><GateSummary gate={phase.gateState} compact /></td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <section>
        <h2 className="font-semibold">{t("summary.decisions")}</h2>
        <p className="text-sm">{t("summary.decisionCounts", { approved: signOffCounts.APPROVED, pending: signOffCounts.PENDING, rejected: signOffCounts.REJECTED })}</p>
      </section>
      <section>
        <h2 className="font-semibold">{t("exec.risk")}</h2>
        <ul className="list-disc pl-5 text-sm">
          <li>{t("exec.overdue", { count: summary.overdue })}</li>
          <li>{t("exec.blocked", { count: blockedPhases })}</li>
          <li>{t("exec.rejected", { count: signOffCounts.REJECTED })}</li>
          {overridden.map((p) => <li key={p.id}>{t("exec.overridden", { name: p.name, reason: p.overrideReason ?? "" })}</li>)}
        </ul>
      </section>
      <section>
        <h2 className="font-semibold">{t("exec.budget")}</h2>
        <p className="text-sm">{t("summary.budget", { asked: formatAmount(budget.asked, budget.currency, locale) ?? "—", approved: formatAmount(budget.approved, budget.currency, locale) ?? "—" })}</p>
      </section>
      <section>
        <h2 className="font-semibold">{t("exec.teamReading")}</h2>
        <ul className="list-disc pl-5 text-sm">
          {summary.reading.map((r) => <li key={r.key}>{r.customName ?? t(`roles.${r.role}`)}: {t("exec.teamReadingValue", { read: r.read, total: r.total })}</li>)}
        </ul>
      </section>
    </article>
  );
}
