import Link from "next/link";
import { notFound } from "next/navigation";
import { rolloutPage } from "@/lib/server/page";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { AssigneeOptions } from "@/components/checklist/assignee-options";
import { ChecklistItemRow } from "@/components/checklist/checklist-item-row";
import { Section } from "@/components/dashboard/section";
import { PhaseActions } from "@/components/phases/phase-actions";
import { PhaseStatusBadge } from "@/components/phases/phase-status-badge";
import { SignOffCard } from "@/components/sign-offs/sign-off-card";
import { PlanWording } from "@/components/ui/plan-wording";
import { GateSummary } from "@/components/gate/gate-summary";
import { Badge } from "@/components/ui/badge";
import { ProgressBar } from "@/components/ui/progress-bar";
import { can } from "@/lib/auth/permissions";
import { canTransition, TRANSITIONS } from "@/lib/domain/phase";
import { assignablePeople, canTick, mayAssign, isOverdue, phaseSummaries, tickLock, toChecklistRow, toSignOffCard } from "@/lib/view/dashboard";

/**
 * The phase's first items; the rest are on the checklist, filtered to the phase and
 * paginated (a row with its forms is about 3 kB of HTML, and as much in the React payload).
 */
const FIRST_ITEMS = 20;
/** The gate's first blockers; the phase's open items are on the checklist. */
const FIRST_BLOCKERS = 20;

export default async function PhasePage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; position: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug, position } = await params;
  const assignParam = (await searchParams).assign;
  const { actor, snapshot } = await rolloutPage(slug);
  const summary = phaseSummaries(snapshot).find((s) => String(s.phase.position) === position);
  if (!summary) notFound();
  const { phase, gate, progress, state } = summary;
  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  const now = new Date();
  const items = snapshot.items.filter((i) => i.phaseId === phase.id);
  const signOffs = snapshot.signOffs.filter((s) => s.phaseId === phase.id);
  const readOnly = snapshot.rollout.archived;
  const available = !readOnly && can(snapshot.roles, "phase.transition")
    ? TRANSITIONS.filter((tr) => canTransition(phase.status, tr) && (tr !== "skip" || phase.optional))
    : [];
  const day = (d: Date | null) => (d ? format.dateTime(d, { day: "numeric", month: "short", year: "numeric" }) : "—");

  return (
    <div className="flex flex-col gap-6">
      <nav aria-label={t("phase.breadcrumb")} className="flex flex-wrap justify-between gap-2 text-sm">
        <Link href={`/r/${snapshot.rollout.slug}`} className="text-green-800 underline">{snapshot.rollout.name}</Link>
        <Link href={`/r/${snapshot.rollout.slug}/phases/${phase.position}/certificate`} className="text-green-800 underline">{t("phase.certificate")}</Link>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="text-sm font-semibold uppercase tracking-wide text-slate-600">{t("overview.phaseNumber", { number: phase.position })}</p>
          <h1 className="text-2xl font-bold sm:text-3xl">{phase.name}</h1>
          {phase.goal ? <p className="text-slate-600">{phase.goal}</p> : null}
        </div>
        <div className="flex gap-1.5">
          <PhaseStatusBadge status={phase.status} />
          {phase.optional ? <Badge icon="diamond">{t("overview.optional")}</Badge> : null}
        </div>
      </div>

      <Section id="phase-summary" title={t("phase.summary")}>
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="font-medium">{t("phase.planned")}</dt>
          <dd>{day(phase.plannedStart)} – {day(phase.plannedEnd)}{phase.window ? <PlanWording text={phase.window} /> : null}</dd>
          <dt className="font-medium">{t("phase.actual")}</dt>
          <dd>{phase.actualStart ? `${day(phase.actualStart)} – ${phase.actualEnd ? day(phase.actualEnd) : t("phase.ongoing")}` : t("phase.notStarted")}</dd>
          {phase.blockedReason ? (<><dt className="font-medium text-red-800">{t("phase.blockedBecause")}</dt><dd className="text-red-800">{phase.blockedReason}</dd></>) : null}
        </dl>
        {phase.overrideReason ? (
          <p className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900" data-testid="override-notice">
            {t("phase.overridden", { name: phase.overriddenBy?.name ?? "?", date: day(phase.overriddenAt), reason: phase.overrideReason })}
          </p>
        ) : null}
        <ProgressBar percent={progress.percent} label={t("overview.progress")} valueText={progress.notApplicable > 0 ? t("overview.progressValueNa", { done: progress.done, total: progress.total, count: progress.notApplicable }) : t("overview.progressValue", { done: progress.done, total: progress.total })} />
      </Section>

      <Section id="phase-gate" title={t("overview.gate")}>
        <GateSummary gate={state} shown={0} />
        {state.state === "blocked" ? (
          <>
            <p className="text-sm font-medium">{t("overview.gateBlocked")}</p>
            <ul className="list-disc pl-5 text-sm" data-testid="gate-blockers">
              {gate.blockers.slice(0, FIRST_BLOCKERS).map((b) => (
                <li key={b.id}>
                  {b.kind === "item" ? t("phase.blockerItem", { text: b.text }) : t(b.status === "REJECTED" ? "phase.blockerRejected" : "phase.blockerPending", { title: b.title })}
                </li>
              ))}
            </ul>
            {gate.blockers.length > FIRST_BLOCKERS ? (
              <p className="text-sm text-slate-600">
                {t("dashboard.showingFirst", { shown: FIRST_BLOCKERS, total: gate.blockers.length })}{" "}
                <Link className="text-green-800 underline" href={`/r/${snapshot.rollout.slug}/checklist?state=OPEN&phase=${phase.position}`}>{t("dashboard.allItems")}</Link>
              </p>
            ) : null}
          </>
        ) : null}
        <PhaseActions phaseId={phase.id} version={phase.version} available={available} gateOpen={gate.open} canOverride={!readOnly && can(snapshot.roles, "gate.override")} />
      </Section>

      <Section id="phase-checklist" title={t("phase.checklist")}>
        <AssigneeOptions people={assignablePeople(snapshot)}>
          <ul className="divide-y divide-slate-100">
            {items.slice(0, FIRST_ITEMS).map((i) => (
              <ChecklistItemRow key={i.id} item={toChecklistRow(i)} canTick={canTick(i, snapshot, actor.id)} overdue={isOverdue(i, now)} assignable={mayAssign(i, snapshot)} assignOpen={i.id === assignParam} locked={tickLock(i, snapshot, actor.id)} />
            ))}
          </ul>
        </AssigneeOptions>
        {items.length > FIRST_ITEMS ? (
          <p className="text-sm text-slate-600">
            {t("dashboard.showingFirst", { shown: FIRST_ITEMS, total: items.length })}{" "}
            <Link className="text-green-800 underline" href={`/r/${snapshot.rollout.slug}/checklist?phase=${phase.position}`}>{t("dashboard.allItems")}</Link>
          </p>
        ) : null}
      </Section>

      <Section id="phase-sign-offs" title={t("phase.signOffs")}>
        <div className="grid gap-2 md:grid-cols-2">
          {signOffs.map((s) => (
            <SignOffCard key={s.id} signOff={toSignOffCard(s, snapshot, locale)} compact={s.kind === "SECURITY_POLICY"} />
          ))}
        </div>
      </Section>
    </div>
  );
}
