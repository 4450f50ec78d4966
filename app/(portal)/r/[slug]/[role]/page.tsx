import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { getRoleDashboard, type DashboardItem, type DashboardSignOff } from "@/lib/dal/dashboard";
import { orNotFound } from "@/lib/server/page";
import { isLookupKey } from "@/lib/validation/input";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { Section } from "@/components/dashboard/section";
import { ExecutiveCharts } from "@/components/timeline/executive-charts";
import { ChecklistGroup } from "@/components/checklist/checklist-group";
import { AssigneeOptions } from "@/components/checklist/assignee-options";
import { ChecklistItemRow } from "@/components/checklist/checklist-item-row";
import { PhaseStatusBadge } from "@/components/phases/phase-status-badge";
import { MarkReadButton } from "@/components/reading/mark-read-button";
import { SignOffCard } from "@/components/sign-offs/sign-off-card";
import { SignOffList } from "@/components/sign-offs/sign-off-list";
import { can } from "@/lib/auth/permissions";
import { Badge } from "@/components/ui/badge";
import { PlanText } from "@/components/ui/plan-text";
import { ProgressBar } from "@/components/ui/progress-bar";
import { GateSummary } from "@/components/gate/gate-summary";
import {
  assignablePeople,
  canTick,
  formatAmount,
  hasNumberedNames,
  isOverdue,
  mayAssign,
  referencedDocument,
  tickLock,
  toChecklistRow,
} from "@/lib/view/dashboard";
import { signOffCard } from "@/lib/view/sign-off-cards";
import type { PhaseStatus } from "@/lib/generated/prisma/enums";
import { DASHBOARD_FIRST_CARDS as FIRST_CARDS, DASHBOARD_FIRST_N, DASHBOARD_FIRST_READING as FIRST_READING, DASHBOARD_GATE_BLOCKERS, EXECUTIVE_FIRST_N } from "@/lib/view/limits";

// Long lists show their first rows, with the count and a link to the full list: the data
// function reads those rows and the counts (lib/dal/dashboard.ts), so a dashboard's size
// and cost do not grow with the plan.

/** Each role's readers named in the executive's team reading: those furthest behind first. */
const TEAM_READERS_NAMED = 5;

function teamReadingLine(r: { entries: number; perPerson: { person: { name: string }; read: number }[] }, more: (names: string, count: number) => string): string {
  const named = [...r.perPerson].sort((a, b) => a.read - b.read || a.person.name.localeCompare(b.person.name)).slice(0, TEAM_READERS_NAMED);
  const names = named.map((p) => `${p.person.name}: ${p.read}/${r.entries}`).join(" · ");
  return r.perPerson.length > named.length ? more(names, r.perPerson.length - named.length) : names;
}

/** The executive's phases under way show their gate in full; the others (ahead, done, skipped) take one line. */
const UNDER_WAY: ReadonlySet<PhaseStatus> = new Set<PhaseStatus>(["IN_PROGRESS", "BLOCKED", "AWAITING_SIGNOFF"]);

export default async function RoleDashboardPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; role: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug, role: roleSlug } = await params;
  const assignParam = (await searchParams).assign;
  const actor = await requirePageActor();
  if (!isLookupKey(slug)) notFound();
  const now = new Date();
  // A dashboard belongs to a role identity the caller holds (a built-in role, or one of the rollout's own roles by its slug): else a 404.
  const dashboard = await orNotFound(getRoleDashboard(actor, slug, roleSlug, now));
  const { ref, custom } = dashboard;
  const role = ref.customRoleId ? null : ref.role;
  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  const roleName = custom?.name ?? t(`roles.${ref.role}`);
  const { items: dueItems, decisions: owed } = dashboard.nextDay;
  const myItems = dashboard.checklist;
  const myReading = dashboard.reading;
  const mySignOffs = dashboard.signOffs;
  const card = (s: DashboardSignOff) => signOffCard(s, dashboard, locale);
  // As many rows as the data function read (lib/dal/dashboard.ts).
  const FIRST_N = dashboard.executive ? EXECUTIVE_FIRST_N : DASHBOARD_FIRST_N;
  const more = (total: number, href?: string, n = FIRST_N, label = t("dashboard.allItems")) =>
    total > n ? (
      <p className="text-sm text-slate-600">
        {t("dashboard.showingFirst", { shown: n, total })}{" "}
        {href ? <Link className="text-green-800 underline" href={href}>{label}</Link> : null}
      </p>
    ) : null;
  const rowData = (i: DashboardItem) => ({
    item: toChecklistRow(i),
    canTick: canTick(i, dashboard, actor.id),
    overdue: isOverdue(i, now),
    assignable: mayAssign(i, dashboard),
    assignOpen: i.id === assignParam,
    locked: tickLock(i, dashboard, actor.id),
  });
  const row = (i: DashboardItem) => <ChecklistItemRow key={i.id} {...rowData(i)} />;
  // To-do lists (open items only): a row ticked here stays, with its undo, until the next navigation.
  const todo = (list: readonly DashboardItem[]) => <ChecklistGroup rows={list.map(rowData)} />;
  const base = `/r/${dashboard.rollout.slug}`;
  const progressText = (p: { done: number; total: number; notApplicable: number }) =>
    p.notApplicable > 0 ? t("overview.progressValueNa", { done: p.done, total: p.total, count: p.notApplicable }) : t("overview.progressValue", { done: p.done, total: p.total });

  // Decisions owed that the role's own list below shows in full are counted here, not repeated.
  // (The security officer's lists show every decision it owes; the data function reads no cards for them.)
  const nextDaySection = (listedBelow: boolean) => {
    const inList = listedBelow ? owed.total : 0;
    const cards = listedBelow ? [] : owed.rows;
    const cardCount = listedBelow ? 0 : owed.total;
    return (
    <Section id="next-24h" title={t("dashboard.next24h")}>
      {dueItems.total === 0 && owed.total === 0 ? <p className="text-slate-600">{t("dashboard.nothingDue")}</p> : null}
      {inList > 0 ? (
        <p className="text-sm text-slate-700">
          {t("dashboard.owedInList", { count: inList })}{" "}
          <a href={`#${listAnchor}`} className="font-medium text-green-800 underline">{t("dashboard.toList")}</a>
        </p>
      ) : null}
      {cards.length > 0 ? (
        <div className="grid gap-2 md:grid-cols-2">
          {cards.map((s) => (
            <SignOffCard key={s.id} signOff={card(s)} compact />
          ))}
        </div>
      ) : null}
      {more(cardCount, undefined, FIRST_CARDS)}
      {dueItems.total > 0 ? todo(dueItems.rows) : null}
      {more(dueItems.total, `${base}/checklist`)}
    </Section>
    );
  };

  const checklistSection = (
    <Section id="my-checklist" title={t("dashboard.checklist")} actions={<Link className="text-sm text-green-800 underline" href={role ? `${base}/checklist?role=${role}` : `${base}/checklist`}>{t("dashboard.allItems")}</Link>}>
      {myItems.total === 0 ? <p className="text-slate-600">{t("dashboard.noItems")}</p> : <ul className="divide-y divide-slate-100">{myItems.rows.map(row)}</ul>}
      {more(myItems.total, role ? `${base}/checklist?role=${role}` : `${base}/checklist`)}
    </Section>
  );

  const readingSection = (
    <Section id="my-reading" title={t("dashboard.readingList")}>
      {myReading.total === 0 ? <p className="text-slate-600" data-testid="reading-empty">{t("dashboard.noReading")}</p> : (
      <>
      <ProgressBar
        percent={myReading.total ? Math.round((myReading.read / myReading.total) * 100) : 0}
        label={t("dashboard.readingProgressLabel")}
        valueText={t("dashboard.readingProgress", { read: myReading.read, total: myReading.total, minutes: myReading.minutes })}
      />
      <ol className="flex flex-col gap-2 text-sm">
        {myReading.entries.map((entry) => {
          const read = entry.read;
          return (
            <li key={entry.id} className="flex flex-wrap items-start justify-between gap-2 border-t border-slate-100 pt-2">
              <div>
                <span className="mr-1 text-slate-600">{entry.position + 1}.</span>
                <Link href={`${base}/documents/${entry.document.id}`} className="font-medium text-green-800 underline">
                  {entry.document.title}
                </Link>
                {entry.sectionHint ? <span className="text-slate-600"> · {entry.sectionHint}</span> : null}
                <span className="text-slate-600"> · {t("dashboard.minutes", { minutes: entry.minutes })}</span>
                <span className="block font-mono text-xs break-all text-slate-600">{entry.document.path}</span>
              </div>
              <div className="flex items-center gap-2">
                {read ? <Badge tone="success" icon="check">{t("dashboard.read")}</Badge> : null}
                {dashboard.rollout.archived ? null : <MarkReadButton entryId={entry.id} read={read} title={entry.document.title} />}
              </div>
            </li>
          );
        })}
      </ol>
      {more(myReading.total, `${base}/documents`, FIRST_READING, t("rolloutNav.documents"))}
      </>
      )}
    </Section>
  );

  const signOffSection =
    mySignOffs.total > 0 && role !== "SECURITY_OFFICER" ? (
      <Section id="my-sign-offs" title={t("dashboard.signOffs")}>
        <div className="grid gap-2 md:grid-cols-2">
          {mySignOffs.rows.map((s) => (
            <SignOffCard key={s.id} signOff={card(s)} compact />
          ))}
        </div>
        {more(mySignOffs.total, undefined, FIRST_CARDS)}
      </Section>
    ) : null;

  let extra = null;
  // What a role's own section lists in full (a long list of one kind), and a section to put first.
  let listedBelow = false;
  let gateFirst = null;
  let listAnchor = "";
  if (dashboard.executive) {
    const { phases, overall, charts, risk, budget, team } = dashboard.executive;
    const blockedPhases = phases.filter((p) => p.status === "BLOCKED");
    const optionalPhases = phases.filter((p) => p.optional);
    const overridden = phases.filter((p) => p.overrideReason);
    extra = (
      <>
        <Section id="exec-progress" title={t("exec.progress")}>
          <ProgressBar percent={overall.percent} label={t("overview.overall")} valueText={t("overview.progressValue", { done: overall.done, total: overall.total })} />
          <ol className="grid gap-3 md:grid-cols-2">
            {phases.map(({ gateState: state, progress, ...phase }) => (
              <li key={phase.id} className="rounded-lg border border-slate-200 p-3">
                <div className="section-head">
                  <Link href={`${base}/phases/${phase.position}`} className="font-medium text-green-800 underline">
                    {t("overview.phaseNumber", { number: phase.position })}: {phase.name}
                  </Link>
                  <span className="flex gap-1">
                    <PhaseStatusBadge status={phase.status} />
                    {phase.optional ? <Badge icon="diamond">{t("overview.optional")}</Badge> : null}
                  </span>
                </div>
                <ProgressBar percent={progress.percent} label={t("overview.progress")} valueText={progressText(progress)} />
                {UNDER_WAY.has(phase.status) ? (
                  <div className="mt-2">
                    <GateSummary gate={state} shown={DASHBOARD_GATE_BLOCKERS} href={`${base}/phases/${phase.position}#phase-gate`} />
                  </div>
                ) : (
                  <p className="mt-1 text-xs text-slate-600">
                    <GateSummary gate={state} compact />
                  </p>
                )}
              </li>
            ))}
          </ol>
        </Section>
        <ExecutiveCharts data={charts} />
        <div className="grid gap-6 lg:grid-cols-2">
          <Section id="exec-risk" title={t("exec.risk")}>
            <ul className="flex flex-col gap-1 text-sm">
              <li><Badge tone={risk.overdue.total ? "danger" : "success"} icon="clock">{t("exec.overdue", { count: risk.overdue.total })}</Badge></li>
              {risk.overdue.rows.map((i) => (
                <li key={i.id} className="pl-2 text-slate-700">· <PlanText text={i.text} /></li>
              ))}
              <li><Badge tone={blockedPhases.length ? "danger" : "neutral"} icon="stop">{t("exec.blocked", { count: blockedPhases.length })}</Badge></li>
              <li><Badge tone={risk.rejected.total ? "danger" : "neutral"} icon="cross">{t("exec.rejected", { count: risk.rejected.total })}</Badge></li>
              {risk.rejected.rows.map((s) => (
                <li key={s.id} className="pl-2 text-slate-700">· {s.title}</li>
              ))}
              <li><Badge icon="diamond">{t("exec.optional", { names: optionalPhases.map((p) => p.name).join(", ") || "—" })}</Badge></li>
              {overridden.map((p) => (
                <li key={p.id}><Badge tone="warning" icon="skip">{t("exec.overridden", { name: p.name, reason: p.overrideReason ?? "" })}</Badge></li>
              ))}
            </ul>
          </Section>
          <Section id="exec-budget" title={t("exec.budget")}>
            <dl className="grid grid-cols-2 gap-2 text-sm">
              <dt className="text-slate-600">{t("exec.asked")}</dt>
              <dd className="font-semibold">{formatAmount(budget.asked, budget.currency, locale)}</dd>
              <dt className="text-slate-600">{t("exec.approved")}</dt>
              <dd className="font-semibold">{formatAmount(budget.approved, budget.currency, locale)}</dd>
            </dl>
          </Section>
        </div>
        <Section id="exec-reading" title={t("exec.teamReading")}>
          <ul className="grid gap-3 md:grid-cols-2">
            {team.map((r) => (
              <li key={r.key}>
                <ProgressBar percent={r.percent} label={r.customName ?? t(`roles.${r.role}`)} valueText={t("exec.teamReadingValue", { read: r.read, total: r.total })} />
                <p className="text-xs text-slate-600">{teamReadingLine(r, (names, count) => t("exec.teamReadingMore", { names, count }))}</p>
              </li>
            ))}
          </ul>
        </Section>
      </>
    );
  } else if (dashboard.security) {
    // The decisions this role owes, whatever their kind; policies are the ones of that category.
    const { policies, others, approvedPolicies, lackingPolicies, lackingOthers } = dashboard.security;
    const mayName = can(dashboard.roles, "plan.edit");
    const rows = policies.map((s) => {
      const doc = referencedDocument(s.reference, { reading: s.documents.map((document) => ({ document })) });
      return { ...card(s), documentHref: doc ? `${base}/documents/${doc.id}` : null };
    });
    listedBelow = true;
    listAnchor = others.total > 0 ? "security-approvals" : "security-policies";
    gateFirst = (
      <Section id="security-gate" title={t("security.gate")}>
        {lackingPolicies + lackingOthers === 0 ? (
          <p className="flex items-center gap-2 text-green-800"><Badge tone="success" icon="check">{t("security.gateOpen")}</Badge></p>
        ) : (
          <p className="text-sm text-slate-700">{t("security.gateLacks", { policies: lackingPolicies, others: lackingOthers })}</p>
        )}
        <ProgressBar percent={policies.length ? Math.round((approvedPolicies / policies.length) * 100) : 0} label={t("security.policies")} valueText={t("security.policiesValue", { approved: approvedPolicies, total: policies.length })} />
        <p className="text-sm">
          <a href="#security-policies" className="text-green-800 underline">{t("security.toList")}</a>
        </p>
      </Section>
    );
    extra = (
      <>
        {others.total > 0 ? (
          <Section id="security-approvals" title={t("security.approvals")}>
            <div className="grid gap-2 md:grid-cols-2">
              {others.rows.map((s) => (
                <SignOffCard key={s.id} signOff={card(s)} />
              ))}
            </div>
            {more(others.total, undefined, FIRST_CARDS)}
          </Section>
        ) : null}
        {policies.length > 0 ? (
          <Section id="security-policies" title={t("security.policies")}>
            <SignOffList rows={rows} unnamed={hasNumberedNames(policies.map((s) => s.title))} nameHref={mayName ? `${base}/edit#edit-sign-offs` : null} />
          </Section>
        ) : null}
      </>
    );
  } else if (dashboard.operations) {
    // The role's open work in the phase under way: a section built from the plan's data, not its words.
    const { current, onCall, criteria: opsCriteria, overdue } = dashboard.operations;
    extra = (
      <div className="grid gap-6 lg:grid-cols-2">
        <Section id="ops-current" title={current ? t("ops.currentPhase", { phase: current.name }) : t("ops.noCurrentPhase")}>
          {onCall.total === 0 ? <p className="text-slate-600">{t("dashboard.noItems")}</p> : todo(onCall.rows)}
          {more(onCall.total, current ? `${base}/checklist?state=OPEN&phase=${current.position}${role ? `&role=${role}` : ""}` : `${base}/checklist`)}
        </Section>
        <Section id="ops-criteria" title={t("ops.criteria")} actions={<Link className="text-sm text-green-800 underline" href={`${base}/criteria`}>{t("ops.allCriteria")}</Link>}>
          <ul className="flex flex-col gap-1 text-sm">
            {opsCriteria.rows.map((c) => (
              <li key={c.id} className="flex items-center justify-between gap-2">
                <span>{c.text}</span>
                <Badge tone={c.verifiedAt ? "success" : "neutral"} icon={c.verifiedAt ? "check" : "box"}>{c.verifiedAt ? t("ops.verified") : t("ops.notVerified")}</Badge>
              </li>
            ))}
          </ul>
          {more(opsCriteria.total, `${base}/criteria`, DASHBOARD_FIRST_N, t("ops.allCriteria"))}
          <p className="text-sm"><Badge tone={overdue ? "danger" : "success"} icon="clock">{t("exec.overdue", { count: overdue })}</Badge></p>
        </Section>
      </div>
    );
  }

  return (
    // The people to assign to travel only with a row opened on the server (`?assign=`); a picker asks for them when opened.
    <AssigneeOptions people={assignParam ? assignablePeople(dashboard) : undefined}>
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium text-slate-600">{dashboard.rollout.name}</p>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("dashboard.title", { role: roleName })}</h1>
        <p className="text-sm text-slate-600">{format.dateTime(now, { weekday: "long", day: "numeric", month: "long", year: "numeric" })}</p>
      </div>
      {gateFirst}
      {nextDaySection(listedBelow)}
      {extra}
      <div className="grid gap-6 lg:grid-cols-2">
        {checklistSection}
        {readingSection}
      </div>
      {signOffSection}
    </div>
    </AssigneeOptions>
  );
}
