import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PlanText } from "@/components/ui/plan-text";
import { requirePageActor } from "@/lib/auth/session";
import { getRoleDashboard } from "@/lib/dal/dashboard";
import { roleFromSlug } from "@/lib/domain/home";
import { isAppError } from "@/lib/errors";

export default async function RoleDashboardPage({ params }: { params: Promise<{ slug: string; role: string }> }) {
  const { slug, role: roleSlug } = await params;
  const role = roleFromSlug(roleSlug);
  if (!role) notFound();
  const actor = await requirePageActor();
  const [dashboard, t, format] = await Promise.all([
    getRoleDashboard(actor, slug, role).catch((error: unknown) => {
      if (isAppError(error, "NOT_FOUND") || isAppError(error, "FORBIDDEN")) notFound();
      throw error;
    }),
    getTranslations(),
    getFormatter(),
  ]);
  const when = (date: Date | null) => (date ? format.dateTime(date, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }) : "—");
  const totalMinutes = dashboard.reading.reduce((sum, entry) => sum + entry.minutes, 0);
  const readCount = dashboard.reading.filter((entry) => entry.readAt).length;

  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium text-slate-500">{dashboard.rollout.name}</p>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("dashboard.title", { role: t(`roles.${role}`) })}</h1>
      </div>

      <Card>
        <h2 className="text-lg font-semibold">{t("dashboard.next24h")}</h2>
        {dashboard.nextDay.length === 0 && dashboard.decisionsOwed.length === 0 ? (
          <p className="mt-2 text-slate-600">{t("dashboard.nothingDue")}</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100">
            {dashboard.decisionsOwed.map((signOff) => (
              <li key={signOff.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>{signOff.title}</span>
                <Badge tone="warning" icon="clock">{t("dashboard.decisionDue", { when: when(signOff.dueAt) })}</Badge>
              </li>
            ))}
            {dashboard.nextDay.map((item) => (
              <li key={item.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span><PlanText text={item.text} /></span>
                <Badge tone="info" icon="box">{t("dashboard.due", { when: when(item.dueAt) })}</Badge>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="text-lg font-semibold">{t("dashboard.checklist")}</h2>
          <ul className="mt-2 divide-y divide-slate-100">
            {dashboard.checklist.map((item) => (
              <li key={item.id} className="flex items-start justify-between gap-3 py-2 text-sm">
                <span>
                  <PlanText text={item.text} />
                  <span className="block text-xs text-slate-500">
                    {item.phase ? t("overview.phaseNumber", { number: item.phase.position }) : t(`dashboard.list.${item.list}`)}
                  </span>
                </span>
                <Badge tone={item.state === "DONE" ? "success" : "neutral"} icon={item.state === "DONE" ? "check" : "box"}>
                  {t(`itemState.${item.state}`)}
                </Badge>
              </li>
            ))}
          </ul>
        </Card>

        <Card>
          <h2 className="text-lg font-semibold">{t("dashboard.readingList")}</h2>
          <p className="text-sm text-slate-600">{t("dashboard.readingProgress", { read: readCount, total: dashboard.reading.length, minutes: totalMinutes })}</p>
          <ol className="mt-2 list-decimal space-y-2 pl-5 text-sm">
            {dashboard.reading.map((entry) => (
              <li key={entry.id}>
                <span className="font-medium">{entry.document.title}</span>
                {entry.sectionHint ? <span className="text-slate-600"> · {entry.sectionHint}</span> : null}
                <span className="text-slate-500"> · {t("dashboard.minutes", { minutes: entry.minutes })}</span>
                <span className="block font-mono text-xs text-slate-500">{entry.document.path}</span>
                {entry.readAt ? <Badge tone="success" icon="check">{t("dashboard.read")}</Badge> : null}
              </li>
            ))}
          </ol>
        </Card>
      </div>

      {dashboard.signOffs.length > 0 ? (
        <Card>
          <h2 className="text-lg font-semibold">{t("dashboard.signOffs")}</h2>
          <ul className="mt-2 divide-y divide-slate-100 text-sm">
            {dashboard.signOffs.map((signOff) => (
              <li key={signOff.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>{signOff.title}</span>
                <Badge
                  tone={signOff.status === "APPROVED" ? "success" : signOff.status === "REJECTED" ? "danger" : "warning"}
                  icon={signOff.status === "APPROVED" ? "check" : signOff.status === "REJECTED" ? "cross" : "clock"}
                >
                  {t(`signOffStatus.${signOff.status}`)}
                </Badge>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}
