import { getTranslations } from "next-intl/server";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { SignOutEverywhereForm } from "@/components/auth/sign-out-everywhere-form";
import { CreateTokenForm } from "@/components/api-tokens/token-forms";
import { TokenTable } from "@/components/api-tokens/token-table";
import { CalendarLink } from "@/components/calendar/calendar-link";
import { can } from "@/lib/auth/permissions";
import { listPersonalTokens } from "@/lib/dal/api-tokens";
import { getNotificationPreferences } from "@/lib/dal/notification-preferences";
import { NotificationPreferencesForm } from "@/components/notifications/preferences-form";
import { rolloutsWithCalendarLink } from "@/lib/dal/calendar";
import { Card } from "@/components/ui/card";
import { getMemberships } from "@/lib/auth/access";
import { requirePageActor } from "@/lib/auth/session";

export default async function AccountPage() {
  const actor = await requirePageActor();
  const [memberships, active, tokens, preferences, t] = await Promise.all([getMemberships(actor.id), rolloutsWithCalendarLink(actor), listPersonalTokens(actor), getNotificationPreferences(actor), getTranslations()]);
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
        <h2 id="notification-settings" className="font-semibold">{t("notifications.preferences.title")}</h2>
        <p className="mb-3 text-sm text-slate-600">{t("notifications.preferences.explain")}</p>
        <NotificationPreferencesForm kinds={preferences.kinds} channels={preferences.channels} dailyDigest={preferences.dailyDigest} emailEnabled={preferences.emailEnabled} />
      </Card>
      <Card>
        <h2 className="font-semibold">{t("calendar.title")}</h2>
        <p className="mb-3 text-sm text-slate-600">{t("calendar.explain")}</p>
        <div className="grid gap-3 md:grid-cols-2">
          {memberships.filter((m) => can(m.roles, "plan.export")).map((m) => (
            <CalendarLink key={m.rolloutId} rolloutId={m.rolloutId} rolloutName={m.name} active={active.has(m.rolloutId)} />
          ))}
        </div>
      </Card>
      <Card>
        <h2 className="font-semibold">{t("apiTokens.title")}</h2>
        <p className="mb-3 text-sm text-slate-600">{t("apiTokens.explain")}</p>
        <div className="flex flex-col gap-4">
          <TokenTable tokens={tokens} />
          <CreateTokenForm />
        </div>
      </Card>
      <Card>
        <h2 className="mb-3 font-semibold">{t("account.changePassword")}</h2>
        <ChangePasswordForm />
      </Card>
      <Card>
        <h2 className="mb-3 font-semibold">{t("account.sessions")}</h2>
        <SignOutEverywhereForm />
      </Card>
    </div>
  );
}
