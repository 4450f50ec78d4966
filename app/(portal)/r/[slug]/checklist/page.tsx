import { getTranslations } from "next-intl/server";
import { AssigneeFilter } from "@/components/checklist/assignee-filter";
import { AssigneeOptions } from "@/components/checklist/assignee-options";
import { ChecklistGroup } from "@/components/checklist/checklist-group";
import { Section } from "@/components/dashboard/section";
import { PageLinks } from "@/components/ui/page-links";
import { ALL_ROLES } from "@/lib/domain/roles";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { getChecklistPage } from "@/lib/dal/checklist";
import { orNotFound } from "@/lib/server/page";
import { lenientItemFiltersSchema, lenientPageSchema, queryObject } from "@/lib/validation/filters";
import { isLookupKey } from "@/lib/validation/input";
import { compactRow } from "@/lib/view/checklist-rows";
import { assignablePeople, canTick, isOverdue, mayAssign, tickLock, toChecklistRow } from "@/lib/view/dashboard";


export default async function ChecklistPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  const raw = await searchParams;
  // Filters live in the URL, so a filtered list can be bookmarked; a bad value is ignored.
  const filters = lenientItemFiltersSchema.parse(queryObject(raw));
  const actor = await requirePageActor();
  if (!isLookupKey(slug)) notFound();
  const now = new Date();
  // Only the page's items are read; the filters and the page are in the URL.
  const assignParam = queryObject(raw).assign;
  // Rows carry no list of people (a picker asks for it when opened), but a row opened on
  // the server (`?assign=<item>`, the link for browsers without JavaScript) lists them.
  const snapshot = await orNotFound(getChecklistPage(actor, slug, filters, lenientPageSchema.parse(queryObject(raw).page), now, { members: typeof assignParam === "string" && assignParam !== "" }));
  const t = await getTranslations();
  const assignees = [...snapshot.assignees].sort((a, b) => a.name.localeCompare(b.name));
  const { items, page, pages, count, pageSize: PAGE_SIZE } = snapshot;
  const opened = items.find((i) => i.id === assignParam && mayAssign(i, snapshot));
  // The export takes every matching item: the filters, not the page.
  const exportQuery = new URLSearchParams(Object.entries(queryObject(raw)).filter(([key]) => key !== "page" && key !== "assign" && key !== "people")).toString();
  // The assignee filter lists everyone only when asked (the link for browsers without JavaScript).
  const everyoneQuery = new URLSearchParams(queryObject(raw));
  everyoneQuery.set("people", "all");
  const everyoneHref = `?${everyoneQuery.toString()}`;
  const pageHref = (n: number) => {
    const query = new URLSearchParams(queryObject(raw));
    query.delete("assign");
    query.delete("people");
    if (n === 1) query.delete("page");
    else query.set("page", String(n));
    const text = query.toString();
    return text ? `?${text}` : "?";
  };
  const pageLinks = <PageLinks page={page} pages={pages} href={pageHref} label={t("checklistPage.pages")} pageOf={t("checklistPage.pageOf", { page, pages })} />;

  const groups = [
    { key: "IMMEDIATE", title: t("dashboard.list.IMMEDIATE"), items: items.filter((i) => i.list === "IMMEDIATE") },
    { key: "NEXT_24H", title: t("dashboard.list.NEXT_24H"), items: items.filter((i) => i.list === "NEXT_24H") },
    ...snapshot.phases.map((p) => ({ key: p.id, title: `${t("overview.phaseNumber", { number: p.position })}: ${p.name}`, items: items.filter((i) => i.phaseId === p.id) })),
  ].filter((g) => g.items.length > 0);
  const select = "rounded border border-slate-300 px-2 py-1 text-sm";

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">{t("checklistPage.title")}</h1>
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label={t("checklistPage.filters")}>
        <label className="flex flex-col gap-1 text-sm">
          {t("checklistPage.role")}
          <select name="role" defaultValue={filters.role ?? ""} className={select}>
            <option value="">{t("checklistPage.any")}</option>
            {ALL_ROLES.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          {t("checklistPage.phase")}
          <select name="phase" defaultValue={filters.phase?.toString() ?? ""} className={select}>
            <option value="">{t("checklistPage.any")}</option>
            <option value="0">{t("checklistPage.noPhase")}</option>
            {snapshot.phases.map((p) => <option key={p.id} value={p.position}>{t("overview.phaseNumber", { number: p.position })}: {p.name}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          {t("checklistPage.state")}
          <select name="state" defaultValue={filters.state ?? ""} className={select}>
            <option value="">{t("checklistPage.any")}</option>
            {(["OPEN", "DONE", "NOT_APPLICABLE"] as const).map((s) => <option key={s} value={s}>{t(`itemState.${s}`)}</option>)}
            <option value="OVERDUE">{t("checklist.overdue")}</option>
          </select>
        </label>
        <AssigneeFilter
          slug={snapshot.rollout.slug}
          value={filters.assignee ?? ""}
          selected={assignees.find((p) => p.id === filters.assignee) ?? null}
          people={queryObject(raw).people === "all" ? assignees : undefined}
          everyoneHref={everyoneHref}
          labels={{ label: t("checklistPage.assignee"), any: t("checklistPage.any"), me: t("checklistPage.me"), everyone: t("checklistPage.everyone"), unavailable: t("checklistPage.peopleUnavailable") }}
        />
        <button type="submit" className="rounded-md bg-slate-800 px-3 py-1.5 text-sm font-semibold text-white">{t("checklistPage.apply")}</button>
      </form>
      <p className="flex flex-wrap gap-3 text-sm">
        <a className="text-green-800 underline" href={`/r/${snapshot.rollout.slug}/export/items?${exportQuery}`}>{t("checklistPage.exportItems")}</a>
        <a className="text-green-800 underline" href={`/r/${snapshot.rollout.slug}/export/sign-offs`}>{t("checklistPage.exportSignOffs")}</a>
      </p>
      <p className="text-sm text-slate-600" role="status">
        {t("checklistPage.count", { count })}
        {pages > 1 ? ` · ${t("checklistPage.showing", { from: (page - 1) * PAGE_SIZE + 1, to: (page - 1) * PAGE_SIZE + items.length, count })}` : null}
      </p>
      {pageLinks}
      {/* The people to assign to travel only with a row opened on the server. */}
      <AssigneeOptions people={opened ? assignablePeople(snapshot) : undefined}>
      {groups.map((group) => (
        <Section key={group.key} id={`group-${group.key}`} title={group.title}>
          {/* Keyed by the filters: a new filter is a new list (rows kept after a tick leave then). */}
          <ChecklistGroup
            key={JSON.stringify(filters)}
            rows={group.items.map((i) => compactRow({ item: toChecklistRow(i), canTick: canTick(i, snapshot, actor.id), overdue: isOverdue(i, now), assignable: mayAssign(i, snapshot), assignOpen: i.id === assignParam, locked: tickLock(i, snapshot, actor.id) }))}
          />
        </Section>
      ))}
      </AssigneeOptions>
      {pageLinks}
    </div>
  );
}
