import Link from "next/link";
import { notFound } from "next/navigation";
import { rolloutPage } from "@/lib/server/page";
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
import { awaitsDecision } from "@/lib/domain/gate";
import { Badge } from "@/components/ui/badge";
import { PlanText } from "@/components/ui/plan-text";
import { ProgressBar } from "@/components/ui/progress-bar";
import { GateSummary } from "@/components/gate/gate-summary";
import { roleFromSlug } from "@/lib/domain/home";
import { isApprover, roleKeyOf, type RoleRef } from "@/lib/domain/roles";
import {
  assignablePeople,
  budgetSummary,
  canTick,
  formatAmount,
  hasNumberedNames,
  isOverdue,
  mayAssign,
  nextDay,
  ownsItem,
  overallProgress,
  phaseSummaries,
  referencedDocument,
  riskSummary,
  teamReading,
  tickLock,
  toChecklistRow,
  toSignOffCard,
} from "@/lib/view/dashboard";

/**
 * Long lists show their first rows, with the count and a link to the full list: a
 * dashboard's size does not grow with the plan (a checklist row with its forms is about
 * 3 kB of HTML and as much again in the page's React payload).
 */
const FIRST_N = 8;
/** Sign-off cards are larger (decisions, who is awaited, a decision form): fewer of them. */
const FIRST_CARDS = 6;
/** The reading list's first entries (with the progress over all of them); the documents page lists every one. */
const FIRST_READING = 3;

export default async function RoleDashboardPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; role: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug, role: roleSlug } = await params;
  const assignParam = (await searchParams).assign;
  const builtIn = roleFromSlug(roleSlug);
  const { actor, snapshot } = await rolloutPage(slug);
  // A dashboard belongs to a role identity: a built-in role, or one of the rollout's own roles (by its slug).
  const custom = builtIn ? undefined : snapshot.customRoles.find((c) => c.slug === roleSlug);
  const ref: RoleRef | null = builtIn ? { role: builtIn, customRoleId: null } : custom ? { role: custom.baseRole, customRoleId: custom.id } : null;
  if (!ref || !snapshot.holdings.some((h) => roleKeyOf(h) === roleKeyOf(ref))) notFound();
  const role = ref.customRoleId ? null : ref.role;
  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  const roleName = custom?.name ?? t(`roles.${ref.role}`);
  const now = new Date();
  const { items: dueItems, decisions: owed } = nextDay(snapshot, ref, now);
  const myItems = snapshot.items.filter((i) => ownsItem(i, ref));
  const myReading = snapshot.reading.filter((e) => roleKeyOf(e) === roleKeyOf(ref));
  const mySignOffs = snapshot.signOffs.filter((s) => isApprover(s, ref));
  const readCount = myReading.filter((e) => e.readStates.some((r) => r.userId === actor.id)).length;
  const card = (s: (typeof snapshot.signOffs)[number]) => toSignOffCard(s, snapshot, locale);
  const pendingFirst = <S extends { status: string }>(list: readonly S[]) => [...list.filter((s) => s.status === "PENDING"), ...list.filter((s) => s.status !== "PENDING")];
  const firstOf = <T,>(list: readonly T[], n = FIRST_N) => list.slice(0, n);
  const more = (total: number, href?: string, n = FIRST_N, label = t("dashboard.allItems")) =>
    total > n ? (
      <p className="text-sm text-slate-600">
        {t("dashboard.showingFirst", { shown: n, total })}{" "}
        {href ? <Link className="text-green-800 underline" href={href}>{label}</Link> : null}
      </p>
    ) : null;
  const rowData = (i: (typeof snapshot.items)[number]) => ({
    item: toChecklistRow(i),
    canTick: canTick(i, snapshot, actor.id),
    overdue: isOverdue(i, now),
    assignable: mayAssign(i, snapshot),
    assignOpen: i.id === assignParam,
    locked: tickLock(i, snapshot, actor.id),
  });
  const row = (i: (typeof snapshot.items)[number]) => <ChecklistItemRow key={i.id} {...rowData(i)} />;
  // To-do lists (open items only): a row ticked here stays, with its undo, until the next navigation.
  const todo = (list: readonly (typeof snapshot.items)[number][]) => <ChecklistGroup rows={firstOf(list).map(rowData)} />;
  const base = `/r/${snapshot.rollout.slug}`;
  const progressText = (p: { done: number; total: number; notApplicable: number }) =>
    p.notApplicable > 0 ? t("overview.progressValueNa", { done: p.done, total: p.total, count: p.notApplicable }) : t("overview.progressValue", { done: p.done, total: p.total });

  // Decisions owed that the role's own list below shows in full are counted here, not repeated.
  const nextDaySection = (listed: Set<string>) => {
    const inList = owed.filter((s) => listed.has(s.id));
    const cards = owed.filter((s) => !listed.has(s.id));
    return (
    <Section id="next-24h" title={t("dashboard.next24h")}>
      {dueItems.length === 0 && owed.length === 0 ? <p className="text-slate-600">{t("dashboard.nothingDue")}</p> : null}
      {inList.length > 0 ? (
        <p className="text-sm text-slate-700">
          {t("dashboard.owedInList", { count: inList.length })}{" "}
          <a href={`#${listAnchor}`} className="font-medium text-green-800 underline">{t("dashboard.toList")}</a>
        </p>
      ) : null}
      {cards.length > 0 ? (
        <div className="grid gap-2 md:grid-cols-2">
          {firstOf(cards, FIRST_CARDS).map((s) => (
            <SignOffCard key={s.id} signOff={card(s)} compact />
          ))}
        </div>
      ) : null}
      {more(cards.length, undefined, FIRST_CARDS)}
      {dueItems.length > 0 ? todo(dueItems) : null}
      {more(dueItems.length, `${base}/checklist`)}
    </Section>
    );
  };

  const checklistSection = (
    <Section id="my-checklist" title={t("dashboard.checklist")} actions={<Link className="text-sm text-green-800 underline" href={role ? `${base}/checklist?role=${role}` : `${base}/checklist`}>{t("dashboard.allItems")}</Link>}>
      {myItems.length === 0 ? <p className="text-slate-600">{t("dashboard.noItems")}</p> : <ul className="divide-y divide-slate-100">{firstOf(myItems).map(row)}</ul>}
      {more(myItems.length, role ? `${base}/checklist?role=${role}` : `${base}/checklist`)}
    </Section>
  );

  const readingSection = (
    <Section id="my-reading" title={t("dashboard.readingList")}>
      {myReading.length === 0 ? <p className="text-slate-600" data-testid="reading-empty">{t("dashboard.noReading")}</p> : (
      <>
      <ProgressBar
        percent={myReading.length ? Math.round((readCount / myReading.length) * 100) : 0}
        label={t("dashboard.readingProgressLabel")}
        valueText={t("dashboard.readingProgress", { read: readCount, total: myReading.length, minutes: myReading.reduce((s, e) => s + e.minutes, 0) })}
      />
      <ol className="flex flex-col gap-2 text-sm">
        {firstOf(myReading, FIRST_READING).map((entry) => {
          const read = entry.readStates.some((r) => r.userId === actor.id);
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
                {snapshot.rollout.archived ? null : <MarkReadButton entryId={entry.id} read={read} title={entry.document.title} />}
              </div>
            </li>
          );
        })}
      </ol>
      {more(myReading.length, `${base}/documents`, FIRST_READING, t("rolloutNav.documents"))}
      </>
      )}
    </Section>
  );

  const signOffSection =
    mySignOffs.length > 0 && role !== "SECURITY_OFFICER" ? (
      <Section id="my-sign-offs" title={t("dashboard.signOffs")}>
        <div className="grid gap-2 md:grid-cols-2">
          {firstOf(pendingFirst(mySignOffs), FIRST_CARDS).map((s) => (
            <SignOffCard key={s.id} signOff={card(s)} compact />
          ))}
        </div>
        {more(mySignOffs.length, undefined, FIRST_CARDS)}
      </Section>
    ) : null;

  let extra = null;
  // What a role's own section lists in full (a long list of one kind), and a section to put first.
  let listedBelow = new Set<string>();
  let gateFirst = null;
  let listAnchor = "";
  if (role === "EXECUTIVE") {
    const summaries = phaseSummaries(snapshot);
    const overall = overallProgress(snapshot);
    const risk = riskSummary(snapshot, now);
    const budget = budgetSummary(snapshot);
    const team = teamReading(snapshot);
    extra = (
      <>
        <Section id="exec-progress" title={t("exec.progress")}>
          <ProgressBar percent={overall.percent} label={t("overview.overall")} valueText={t("overview.progressValue", { done: overall.done, total: overall.total })} />
          <ol className="grid gap-3 md:grid-cols-2">
            {summaries.map(({ phase, progress, state }) => (
              <li key={phase.id} className="rounded-lg border border-slate-200 p-3">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Link href={`${base}/phases/${phase.position}`} className="font-medium text-green-800 underline">
                    {t("overview.phaseNumber", { number: phase.position })}: {phase.name}
                  </Link>
                  <span className="flex gap-1">
                    <PhaseStatusBadge status={phase.status} />
                    {phase.optional ? <Badge icon="diamond">{t("overview.optional")}</Badge> : null}
                  </span>
                </div>
                <ProgressBar percent={progress.percent} label={t("overview.progress")} valueText={progressText(progress)} />
<div className="mt-2">
                  <GateSummary gate={state} shown={3} href={`${base}/phases/${phase.position}#phase-gate`} />
                </div>
              </li>
            ))}
          </ol>
        </Section>
        <ExecutiveCharts snapshot={snapshot} />
        <div className="grid gap-6 lg:grid-cols-2">
          <Section id="exec-risk" title={t("exec.risk")}>
            <ul className="flex flex-col gap-1 text-sm">
              <li><Badge tone={risk.overdue.length ? "danger" : "success"} icon="clock">{t("exec.overdue", { count: risk.overdue.length })}</Badge></li>
              {risk.overdue.slice(0, 5).map((i) => (
                <li key={i.id} className="pl-2 text-slate-700">· <PlanText text={i.text} /></li>
              ))}
              <li><Badge tone={risk.blockedPhases.length ? "danger" : "neutral"} icon="stop">{t("exec.blocked", { count: risk.blockedPhases.length })}</Badge></li>
              <li><Badge tone={risk.rejected.length ? "danger" : "neutral"} icon="cross">{t("exec.rejected", { count: risk.rejected.length })}</Badge></li>
              {risk.rejected.slice(0, 5).map((s) => (
                <li key={s.id} className="pl-2 text-slate-700">· {s.title}</li>
              ))}
              <li><Badge icon="diamond">{t("exec.optional", { names: risk.optionalPhases.map((p) => p.name).join(", ") || "—" })}</Badge></li>
              {risk.overridden.map((p) => (
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
                <p className="text-xs text-slate-600">{r.perPerson.map((p) => `${p.person.name}: ${p.read}/${r.entries}`).join(" · ")}</p>
              </li>
            ))}
          </ul>
        </Section>
      </>
    );
  } else if (role === "SECURITY_OFFICER") {
    // The decisions this role owes, whatever their kind; policies are the ones of that category.
    const security = mySignOffs;
    const policies = security.filter((s) => s.kind === "SECURITY_POLICY");
    const others = security.filter((s) => s.kind !== "SECURITY_POLICY");
    const lacking = (list: typeof security) => list.filter((s) => awaitsDecision(s) || s.status === "REJECTED").length;
    const approvedPolicies = policies.filter((s) => s.status === "APPROVED").length;
    const mayName = can(snapshot.roles, "plan.edit");
    const rows = policies.map((s) => {
      const doc = referencedDocument(s.reference, snapshot);
      return { ...card(s), documentHref: doc ? `${base}/documents/${doc.id}` : null };
    });
    listedBelow = new Set(security.map((s) => s.id));
    listAnchor = others.length > 0 ? "security-approvals" : "security-policies";
    gateFirst = (
      <Section id="security-gate" title={t("security.gate")}>
        {lacking(security) === 0 ? (
          <p className="flex items-center gap-2 text-green-800"><Badge tone="success" icon="check">{t("security.gateOpen")}</Badge></p>
        ) : (
          <p className="text-sm text-slate-700">{t("security.gateLacks", { policies: lacking(policies), others: lacking(others) })}</p>
        )}
        <ProgressBar percent={policies.length ? Math.round((approvedPolicies / policies.length) * 100) : 0} label={t("security.policies")} valueText={t("security.policiesValue", { approved: approvedPolicies, total: policies.length })} />
        <p className="text-sm">
          <a href="#security-policies" className="text-green-800 underline">{t("security.toList")}</a>
        </p>
      </Section>
    );
    extra = (
      <>
        {others.length > 0 ? (
          <Section id="security-approvals" title={t("security.approvals")}>
            <div className="grid gap-2 md:grid-cols-2">
              {firstOf(pendingFirst(others), FIRST_CARDS).map((s) => (
                <SignOffCard key={s.id} signOff={card(s)} />
              ))}
            </div>
            {more(others.length, undefined, FIRST_CARDS)}
          </Section>
        ) : null}
        {policies.length > 0 ? (
          <Section id="security-policies" title={t("security.policies")}>
            <SignOffList rows={rows} unnamed={hasNumberedNames(policies.map((s) => s.title))} nameHref={mayName ? `${base}/edit#edit-sign-offs` : null} />
          </Section>
        ) : null}
      </>
    );
  } else if (role === "OPS_MANAGER") {
    const opsCriteria = snapshot.criteria;
    // The role's open work in the phase under way: a section built from the plan's data, not its words.
    const current = snapshot.phases.find((p) => p.status === "IN_PROGRESS" || p.status === "AWAITING_SIGNOFF" || p.status === "BLOCKED");
    const onCall = snapshot.items.filter((i) => ownsItem(i, ref) && i.state === "OPEN" && current !== undefined && i.phaseId === current.id);
    const overdue = snapshot.items.filter((i) => ownsItem(i, ref) && isOverdue(i, now));
    extra = (
      <div className="grid gap-6 lg:grid-cols-2">
        <Section id="ops-current" title={current ? t("ops.currentPhase", { phase: current.name }) : t("ops.noCurrentPhase")}>
          {onCall.length === 0 ? <p className="text-slate-600">{t("dashboard.noItems")}</p> : todo(onCall)}
          {more(onCall.length, current ? `${base}/checklist?state=OPEN&phase=${current.position}${role ? `&role=${role}` : ""}` : `${base}/checklist`)}
        </Section>
        <Section id="ops-criteria" title={t("ops.criteria")} actions={<Link className="text-sm text-green-800 underline" href={`${base}/criteria`}>{t("ops.allCriteria")}</Link>}>
          <ul className="flex flex-col gap-1 text-sm">
            {firstOf(opsCriteria).map((c) => (
              <li key={c.id} className="flex items-center justify-between gap-2">
                <span>{c.text}</span>
                <Badge tone={c.verifiedAt ? "success" : "neutral"} icon={c.verifiedAt ? "check" : "box"}>{c.verifiedAt ? t("ops.verified") : t("ops.notVerified")}</Badge>
              </li>
            ))}
          </ul>
          {more(opsCriteria.length, `${base}/criteria`, FIRST_N, t("ops.allCriteria"))}
          <p className="text-sm"><Badge tone={overdue.length ? "danger" : "success"} icon="clock">{t("exec.overdue", { count: overdue.length })}</Badge></p>
        </Section>
      </div>
    );
  }

  return (
    <AssigneeOptions people={assignablePeople(snapshot)}>
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium text-slate-600">{snapshot.rollout.name}</p>
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
