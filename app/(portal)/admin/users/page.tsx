import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { ActiveToggleForm, MemberRolesForm } from "@/components/admin/user-row-forms";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/session";
import { orNotFound } from "@/lib/server/page";
import { listUsersForAdmin } from "@/lib/dal/users";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("title") };
}

export default async function AdminUsersPage() {
  const actor = await requirePageActor();
  const [data, t] = await Promise.all([
    orNotFound(listUsersForAdmin(actor)),
    getTranslations(),
  ]);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">{t("admin.title")}</h1>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("admin.createTitle")}</h2>
        <CreateUserForm rollouts={data.rollouts} />
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("admin.usersTitle", { count: data.users.length })}</h2>
        <ul className="divide-y divide-slate-100">
          {data.users.map((user) => (
            <li key={user.id} className="flex flex-col gap-3 py-3" data-testid={`user-${user.email}`}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div>
                  <p className="font-medium">
                    {user.name} {user.sso ? <Badge tone="info">SSO</Badge> : null}{" "}
                    {user.active ? null : <Badge tone="danger" icon="stop">{t("admin.inactive")}</Badge>}
                  </p>
                  <p className="font-mono text-xs text-slate-500">{user.email}</p>
                </div>
                {user.id === actor.id ? null : <ActiveToggleForm userId={user.id} active={user.active} name={user.name} />}
              </div>
              {data.rollouts.map((rollout) => (
                <div key={rollout.id} className="rounded-md bg-slate-50 p-2">
                  <p className="mb-1 text-xs font-semibold text-slate-600">{rollout.name}</p>
                  <MemberRolesForm
                    userId={user.id}
                    rolloutId={rollout.id}
                    roles={user.roles[rollout.id] ?? []}
                    label={t("admin.rolesOf", { name: user.name, rollout: rollout.name })}
                  />
                </div>
              ))}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
