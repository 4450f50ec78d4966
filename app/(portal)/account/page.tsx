import { getTranslations } from "next-intl/server";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { Card } from "@/components/ui/card";
import { getMemberships } from "@/lib/auth/access";
import { requirePageActor } from "@/lib/auth/session";

export default async function AccountPage() {
  const actor = await requirePageActor();
  const [memberships, t] = await Promise.all([getMemberships(actor.id), getTranslations()]);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">{t("account.title")}</h1>
      <Card>
        <p className="font-medium">{actor.name}</p>
        <p className="font-mono text-sm text-slate-600">{actor.email}</p>
        <h2 className="mt-4 font-semibold">{t("account.roles")}</h2>
        {memberships.length === 0 ? <p className="text-slate-600">{t("account.noRoles")}</p> : null}
        <ul className="list-disc pl-5 text-sm">
          {memberships.map((m) => (
            <li key={m.rolloutId}>
              {m.name}: {m.roles.map((role) => t(`roles.${role}`)).join(", ")}
            </li>
          ))}
        </ul>
      </Card>
      <Card>
        <h2 className="mb-3 font-semibold">{t("account.changePassword")}</h2>
        <ChangePasswordForm />
      </Card>
    </div>
  );
}
