import Link from "next/link";
import { notFound } from "next/navigation";
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
import { requirePageActor } from "@/lib/auth/session";
import { getPhasePage } from "@/lib/dal/gate-pages";
import { blockerCount } from "@/lib/domain/gate";
import { canTransition, TRANSITIONS } from "@/lib/domain/phase";
import { orNotFound } from "@/lib/server/page";
import { isLookupKey } from "@/lib/validation/input";
import { canTick, isOverdue, mayAssign, tickLock, toChecklistRow } from "@/lib/view/dashboard";
import { PHASE_PAGE_BLOCKERS, PHASE_PAGE_ITEMS } from "@/lib/view/limits";
import { signOffCard } from "@/lib/view/sign-off-cards";

export default async function PhasePage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; position: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug, position } = await params;
  const assignParam = (await searchParams).assign;
  const actor = await requirePageActor();
  if (!isLookupKey(slug) || !/^\d{1,6}$/.test(position)) notFound();
  // The phase's first items and sign-offs, its gate counted (the first blockers named): a read bounded whatever the plan's size.
  const data = await orNotFound(getPhasePage(actor, slug, Number(position)));
  const { phase, items, signOffs, rollout } = data;
  const gate = phase.gateState;
  const progress = phase.progress;
  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  const now = new Date();
  const readOnly = rollout.archived;
  const available = !readOnly && can(data.roles, "phase.transition")
    ? TRANSITIONS.filter((tr) => canTransition(phase.status, tr) && (tr !== "skip" || phase.optional))
    : [];
  const day = (d: Date | null) => (d ? format.dateTime(d, { day: "numeric", month: "short", year: "numeric" }) : "—");
  const blockers = blockerCount(gate);

  return (
    <div className="flex flex-col gap-6">
      <nav aria-label={t("phase.breadcrumb")} className="flex flex-wrap justify-between gap-2 text-sm">
        <Link href={`/r/${rollout.slug}`} className="text-green-800 underline">{rollout.name}</Link>
        <Link href={`/r/${rollout.slug}/phases/${phase.position}/certificate`} className="text-green-800 underline">{t("phase.certificate")}</Link>
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
            {t("phase.overridden", { name: phase.overriddenByName ?? "?", date: day(phase.overriddenAt), reason: phase.overrideReason })}
          </p>
        ) : null}
        <ProgressBar percent={progress.percent} label={t("overview.progress")} valueText={progress.notApplicable > 0 ? t("overview.progressValueNa", { done: progress.done, total: progress.total, count: progress.notApplicable }) : t("overview.progressValue", { done: progress.done, total: progress.total })} />
      </Section>

      <Section id="phase-gate" title={t("overview.gate")}>
        <GateSummary gate={gate} shown={0} />
        {gate.state === "blocked" ? (
          <>
            <p className="text-sm font-medium">{t("overview.gateBlocked")}</p>
            <ul className="list-disc pl-5 text-sm" data-testid="gate-blockers">
              {gate.blockers.slice(0, PHASE_PAGE_BLOCKERS).map((b) => (
                <li key={b.id}>
                  {b.kind === "item" ? t("phase.blockerItem", { text: b.text }) : t(b.status === "REJECTED" ? "phase.blockerRejected" : "phase.blockerPending", { title: b.title })}
                </li>
              ))}
            </ul>
            {blockers > PHASE_PAGE_BLOCKERS ? (
              <p className="text-sm text-slate-600">
                {t("dashboard.showingFirst", { shown: PHASE_PAGE_BLOCKERS, total: blockers })}{" "}
                <Link className="text-green-800 underline" href={`/r/${rollout.slug}/checklist?state=OPEN&phase=${phase.position}`}>{t("dashboard.allItems")}</Link>
              </p>
            ) : null}
          </>
        ) : null}
        <PhaseActions phaseId={phase.id} version={phase.version} available={available} gateOpen={gate.state !== "blocked"} canOverride={!readOnly && can(data.roles, "gate.override")} />
      </Section>

      <Section id="phase-checklist" title={t("phase.checklist")}>
        {/* The people to assign to travel only with a row opened on the server (`?assign=`); a picker asks for them when opened. */}
        <AssigneeOptions people={assignParam ? data.people : undefined}>
          <ul className="divide-y divide-slate-100">
            {items.map((i) => (
              <ChecklistItemRow key={i.id} item={toChecklistRow(i)} canTick={canTick(i, data, actor.id)} overdue={isOverdue(i, now)} assignable={mayAssign(i, data)} assignOpen={i.id === assignParam} locked={tickLock(i, data, actor.id)} />
            ))}
          </ul>
        </AssigneeOptions>
        {data.itemCount > PHASE_PAGE_ITEMS ? (
          <p className="text-sm text-slate-600">
            {t("dashboard.showingFirst", { shown: PHASE_PAGE_ITEMS, total: data.itemCount })}{" "}
            <Link className="text-green-800 underline" href={`/r/${rollout.slug}/checklist?phase=${phase.position}`}>{t("dashboard.allItems")}</Link>
          </p>
        ) : null}
      </Section>

      <Section id="phase-sign-offs" title={t("phase.signOffs")}>
        <div className="grid gap-2 md:grid-cols-2">
          {signOffs.map((s) => (
            <SignOffCard key={s.id} signOff={signOffCard(s, data, locale)} compact={s.kind === "SECURITY_POLICY"} />
          ))}
        </div>
        {data.signOffCount > signOffs.length ? (
          <p className="text-sm text-slate-600">
            {t("phase.signOffsShown", { shown: signOffs.length, total: data.signOffCount })}{" "}
            <Link className="text-green-800 underline" href={`/r/${rollout.slug}/phases/${phase.position}/certificate`}>{t("phase.certificate")}</Link>
          </p>
        ) : null}
      </Section>
    </div>
  );
}
