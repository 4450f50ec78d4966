import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { CreateTokenForm } from "@/components/api-tokens/token-forms";
import { TokenTable } from "@/components/api-tokens/token-table";
import { MemberRolesForm } from "@/components/admin/user-row-forms";
import { ArchiveForm, SaveAsTemplateForm } from "@/components/rollouts/rollout-settings-forms";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { CreateWebhookForm } from "@/components/webhooks/webhook-forms";
import { WebhookList } from "@/components/webhooks/webhook-list";
import { requirePageActor } from "@/lib/auth/session";
import { listServiceAccounts } from "@/lib/dal/api-tokens";
import { getRolloutSettings } from "@/lib/dal/rollouts";
import { listUsersForAdmin } from "@/lib/dal/users";
import { listWebhooks } from "@/lib/dal/webhooks";
import { orNotFound } from "@/lib/server/page";
import { ALL_ROLES } from "@/lib/domain/roles";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("rollouts"))("settingsTitle") };
}

/** One rollout's people, service accounts, webhooks, template and archive. */
export default async function RolloutSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePageActor();
  const settings = await orNotFound(getRolloutSettings(actor, slug));
  const { rollout, may } = settings;
  const [people, bots, hooks, t, format] = await Promise.all([
    may.manageMembers ? listUsersForAdmin(actor, { rolloutId: rollout.id }) : null,
    // Also on an archived rollout: its admins see (and may revoke) service accounts and webhooks.
    may.manageMembers ? listServiceAccounts(actor, rollout.id) : null,
    may.manageMembers ? listWebhooks(actor, rollout.id) : null,
    getTranslations(),
    getFormatter(),
  ]);
  const scope = people?.rollouts[0];
  const members = people?.users.filter((u) => (u.roles[rollout.id] ?? []).length > 0) ?? [];
  const roleName = (value: string) =>
    value.startsWith("custom:") ? (scope?.customRoles.find((r) => `custom:${r.id}` === value)?.name ?? value) : t(`roles.${value as "ADMIN"}`);
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">{t("rollouts.settingsTitle")}</h1>
      <Card>
        <dl className="grid gap-2 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-slate-600">{t("rollouts.name")}</dt>
            <dd className="font-medium">{rollout.name}</dd>
          </div>
          <div>
            <dt className="text-slate-600">{t("rollouts.slug")}</dt>
            <dd className="font-mono">{rollout.slug}</dd>
          </div>
          <div>
            <dt className="text-slate-600">{t("rollouts.startDate")}</dt>
            <dd>{format.dateTime(rollout.anchorDate, { dateStyle: "medium", timeZone: "UTC" })}</dd>
          </div>
          <div>
            <dt className="text-slate-600">{t("rollouts.state")}</dt>
            <dd>
              {rollout.archivedAt ? (
                <Badge tone="neutral" icon="stop">
                  {t("rollouts.archivedBy", { date: format.dateTime(rollout.archivedAt, { dateStyle: "medium" }), name: rollout.archivedBy?.name ?? "—" })}
                </Badge>
              ) : rollout.isTemplate ? (
                <Badge tone="info">{t("rolloutNav.template")}</Badge>
              ) : (
                <Badge tone="success">{t("rollouts.active")}</Badge>
              )}
            </dd>
          </div>
        </dl>
      </Card>

      {people && scope ? (
        <Card>
          <h2 className="text-lg font-semibold">{t("rollouts.members", { count: members.length })}</h2>
          <ul className="mt-2 divide-y divide-slate-100">
            {members.map((member) => (
              <li key={member.id} className="flex flex-col gap-2 py-3" data-testid={`member-${member.email}`}>
                <div className="flex flex-wrap items-baseline gap-2">
                  <span className="font-medium">{member.name}</span>
                  <span className="font-mono text-xs text-slate-600">{member.email}</span>
                  {member.active ? null : <Badge tone="danger" icon="stop">{t("admin.inactive")}</Badge>}
                </div>
                {rollout.archivedAt ? (
                  <p className="text-sm text-slate-700">{(member.roles[rollout.id] ?? []).map(roleName).join(", ")}</p>
                ) : (
                  <MemberRolesForm
                    userId={member.id}
                    rolloutId={rollout.id}
                    roles={member.roles[rollout.id] ?? []}
                    customRoles={scope.customRoles}
                    label={t("admin.rolesOf", { name: member.name, rollout: rollout.name })}
                  />
                )}
              </li>
            ))}
          </ul>
          {rollout.archivedAt ? null : (
            <div className="mt-4 border-t border-slate-100 pt-4">
              <h3 className="mb-2 font-semibold">{t("admin.createTitle")}</h3>
              <CreateUserForm rollouts={[{ id: rollout.id, name: rollout.name, customRoles: scope.customRoles }]} idPrefix="member" />
            </div>
          )}
        </Card>
      ) : null}

      {bots ? (
        <Card>
          <h2 className="text-lg font-semibold">{t("apiTokens.serviceTitle")}</h2>
          <p className="mb-3 text-sm text-slate-600">{t("apiTokens.serviceExplain")}</p>
          <ul className="flex flex-col gap-3">
            {bots.map((bot) => (
              <li key={bot.id} className="flex flex-col gap-2" data-testid={`service-account-${bot.name}`}>
                <p className="font-medium">
                  {bot.name} <span className="text-sm font-normal text-slate-600">({bot.memberships.map((m) => t(`roles.${m.role}`)).join(", ")})</span>
                </p>
                <TokenTable tokens={bot.apiTokens} rolloutId={rollout.id} />
              </li>
            ))}
          </ul>
          {may.addIntegrations ? (
            <div className="mt-4 border-t border-slate-100 pt-4">
              <CreateTokenForm rolloutId={rollout.id} roles={ALL_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))} />
            </div>
          ) : null}
        </Card>
      ) : null}

      {hooks ? (
        <Card>
          <h2 className="text-lg font-semibold">{t("webhooks.title")}</h2>
          <p className="mb-3 text-sm text-slate-600">{t("webhooks.explain")}</p>
          <WebhookList rolloutId={rollout.id} endpoints={hooks} canAdd={may.addIntegrations} />
          {may.addIntegrations ? (
            <div className="mt-4 border-t border-slate-100 pt-4">
              <CreateWebhookForm rolloutId={rollout.id} />
            </div>
          ) : null}
        </Card>
      ) : null}

      {may.saveAsTemplate && !rollout.isTemplate ? (
        <Card>
          <h2 className="text-lg font-semibold">{t("rollouts.saveAsTemplate")}</h2>
          <p className="mb-3 text-sm text-slate-600">{t("rollouts.saveAsTemplateHint")}</p>
          <SaveAsTemplateForm rolloutId={rollout.id} name={rollout.name} slug={rollout.slug} />
        </Card>
      ) : null}

      {may.archive && !rollout.isTemplate ? (
        <Card>
          <h2 className="text-lg font-semibold">{rollout.archivedAt ? t("rollouts.unarchive") : t("rollouts.archive")}</h2>
          <p className="mb-3 text-sm text-slate-600">{rollout.archivedAt ? t("rollouts.unarchiveHint") : t("rollouts.archiveHint")}</p>
          <ArchiveForm rolloutId={rollout.id} version={rollout.version} archived={rollout.archivedAt !== null} />
        </Card>
      ) : null}
    </div>
  );
}
