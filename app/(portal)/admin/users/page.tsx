import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { ActiveToggleForm, CreateRightForm, MemberRolesForm } from "@/components/admin/user-row-forms";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/session";
import { orNotFound } from "@/lib/server/page";
import { listUsersForAdmin } from "@/lib/dal/users";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("title") };
}

/**
 * People: a rollout admin sees the members of the rollouts they administer; an instance
 * admin sees every account and may deactivate one or grant the right to create rollouts.
 */
export default async function AdminUsersPage() {
  const actor = await requirePageActor();
  const [data, t] = await Promise.all([orNotFound(listUsersForAdmin(actor)), getTranslations()]);
  const writable = data.rollouts.filter((r) => !r.archived);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">{t("admin.title")}</h1>
      {writable.length ? (
        <Card>
          <h2 className="mb-3 text-lg font-semibold">{t("admin.createTitle")}</h2>
          <CreateUserForm rollouts={writable.length === 1 ? writable : writable.map((r) => ({ ...r, customRoles: [] }))} />
        </Card>
      ) : null}
      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t("admin.usersTitle", { count: data.users.length })}</h2>
        <p className="mb-3 text-sm text-slate-600">{data.isInstanceAdmin ? t("admin.scopeInstance") : t("admin.scopeRollouts")}</p>
        <ul className="divide-y divide-slate-100">
          {data.users.map((user) => (
            <li key={user.id} className="flex flex-col gap-3 py-3" data-testid={`user-${user.email}`}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div>
                  <p className="font-medium">
                    {user.name} {user.sso ? <Badge tone="info">SSO</Badge> : null}{" "}
                    {user.active ? null : <Badge tone="danger" icon="stop">{t("admin.inactive")}</Badge>}{" "}
                    {user.isInstanceAdmin ? <Badge tone="info">{t("admin.instanceAdmin")}</Badge> : null}{" "}
                    {user.canCreateRollouts ? <Badge tone="success">{t("admin.mayCreate")}</Badge> : null}
                  </p>
                  <p className="font-mono text-xs text-slate-600">{user.email}</p>
                </div>
                {data.isInstanceAdmin && user.id !== actor.id ? (
                  <div className="flex flex-wrap items-center gap-2">
                    {user.isInstanceAdmin ? null : <CreateRightForm userId={user.id} allowed={Boolean(user.canCreateRollouts)} name={user.name} />}
                    <ActiveToggleForm userId={user.id} active={user.active} name={user.name} />
                  </div>
                ) : null}
              </div>
              {data.rollouts.map((rollout) => (
                <div key={rollout.id} className="rounded-md bg-slate-50 p-2">
                  <p className="mb-1 text-xs font-semibold text-slate-600">{rollout.name}</p>
                  {rollout.archived ? (
                    <p className="text-xs text-slate-600">{(user.roles[rollout.id] ?? []).length ? t("admin.archivedReadOnly") : t("admin.notMember")}</p>
                  ) : (
                    <MemberRolesForm
                      userId={user.id}
                      rolloutId={rollout.id}
                      roles={user.roles[rollout.id] ?? []}
                      customRoles={rollout.customRoles}
                      label={t("admin.rolesOf", { name: user.name, rollout: rollout.name })}
                    />
                  )}
                </div>
              ))}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
