import { getTranslations } from "next-intl/server";
import { CriteriaGroup } from "@/components/criteria/criteria-group";
import { can, PERMISSIONS } from "@/lib/auth/permissions";
import { requirePageActor } from "@/lib/auth/session";
import { listCriteria } from "@/lib/dal/criteria-list";
import { orNotFound } from "@/lib/server/page";
import { ALL_ROLES } from "@/lib/domain/roles";

export default async function CriteriaPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePageActor();
  const [list, t] = await Promise.all([
    orNotFound(listCriteria(actor, slug)),
    getTranslations(),
  ]);
  // For display only: verifyCriterion authorizes the write itself.
  // An archived rollout is read-only: nobody is offered the form (the banner above says why).
  const canVerify = !list.rollout.archived && can(list.roles, "criteria.verify");
  const verifiers = ALL_ROLES.filter((role) => PERMISSIONS[role].includes("criteria.verify"))
    .map((role) => t(`roles.${role}`))
    .join(", ");
  const all = list.groups.flatMap((g) => g.criteria);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium text-slate-600">{list.rollout.name}</p>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("criteria.title")}</h1>
        <p className="mt-1 text-slate-600">{t("criteria.intro")}</p>
        <p className="mt-1 text-sm font-medium text-slate-700">
          {t("criteria.progress", { verified: all.filter((c) => c.verifiedAt).length, total: all.length })}
        </p>
        {canVerify || list.rollout.archived ? null : <p className="mt-1 text-sm text-slate-600">{t("criteria.readOnly", { roles: verifiers })}</p>}
      </div>
      {list.groups.map(({ group, criteria }) => (
        <CriteriaGroup key={group.id} group={group} criteria={criteria} canVerify={canVerify} />
      ))}
    </div>
  );
}
