import { getTranslations } from "next-intl/server";
import { CriteriaGroup } from "@/components/criteria/criteria-group";
import { can, PERMISSIONS } from "@/lib/auth/permissions";
import { requirePageActor } from "@/lib/auth/session";
import { listCriteria } from "@/lib/dal/criteria-list";
import { orNotFound } from "@/lib/server/page";
import { PageLinks } from "@/components/ui/page-links";
import { lenientPageSchema, queryObject } from "@/lib/validation/filters";
import { ALL_ROLES } from "@/lib/domain/roles";

export default async function CriteriaPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  // The page is in the URL (`?page=N`); a bad value is the first page.
  const requested = lenientPageSchema.parse(queryObject(await searchParams).page);
  const actor = await requirePageActor();
  const [list, t] = await Promise.all([
    orNotFound(listCriteria(actor, slug, requested)),
    getTranslations(),
  ]);
  // For display only: verifyCriterion authorizes the write itself.
  // An archived rollout is read-only: nobody is offered the form (the banner above says why).
  const canVerify = !list.rollout.archived && can(list.roles, "criteria.verify");
  const verifiers = ALL_ROLES.filter((role) => PERMISSIONS[role].includes("criteria.verify"))
    .map((role) => t(`roles.${role}`))
    .join(", ");
  const pageLinks = (
    <PageLinks page={list.page} pages={list.pages} href={(n) => (n === 1 ? "?" : `?page=${n}`)} label={t("checklistPage.pages")} pageOf={t("checklistPage.pageOf", { page: list.page, pages: list.pages })} />
  );
  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium text-slate-600">{list.rollout.name}</p>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("criteria.title")}</h1>
        <p className="mt-1 text-slate-600">{t("criteria.intro")}</p>
        <p className="mt-1 text-sm font-medium text-slate-700">
          {t("criteria.progress", { verified: list.verified, total: list.total })}
        </p>
        {canVerify || list.rollout.archived ? null : <p className="mt-1 text-sm text-slate-600">{t("criteria.readOnly", { roles: verifiers })}</p>}
      </div>
      {pageLinks}
      {list.groups.map(({ group, criteria, total, verified }) => (
        <CriteriaGroup key={group.id} group={group} criteria={criteria} total={total} verified={verified} canVerify={canVerify} />
      ))}
      {pageLinks}
    </div>
  );
}
