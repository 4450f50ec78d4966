import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { MarkAllReadButton, MarkReadButton, OpenNotificationLink } from "@/components/notifications/inbox-actions";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/session";
import { listNotifications } from "@/lib/dal/notifications";

/** `?page=<n>`: a whole number from 1, else the newest page. */
function parsePage(value: string | string[] | undefined): number {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !/^\d{1,6}$/.test(raw)) return 1;
  return Math.max(1, Number(raw));
}

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const page = parsePage((await searchParams).page);
  const actor = await requirePageActor();
  const [inbox, t, format] = await Promise.all([listNotifications(actor, { page }), getTranslations("notifications"), getFormatter()]);
  const link = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50";
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("title")}</h1>
        <p className="mt-1 text-slate-600">{t("intro")}</p>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="font-medium" data-testid="inbox-unread">
          {t("unreadCount", { count: inbox.unread })}
        </p>
        {inbox.unread > 0 ? <MarkAllReadButton /> : null}
      </div>
      <Card>
        {inbox.notifications.length === 0 ? (
          <p className="text-slate-600">{page === 1 ? t("empty") : t("emptyPage")}</p>
        ) : (
          <ol className="divide-y divide-slate-200" aria-label={t("title")}>
            {inbox.notifications.map((n) => {
              const text = t(`kind.${n.kind}`);
              const unread = n.readAt === null;
              const time = format.dateTime(n.createdAt, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });
              return (
                <li key={n.id} data-testid="notification" data-unread={unread ? "true" : "false"} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
                  <div className="flex min-w-0 flex-col gap-0.5">
                    <p className={unread ? "font-semibold" : "text-slate-700"}>
                      {unread ? (
                        <span className="mr-2 inline-block rounded bg-blue-100 px-1.5 py-0.5 align-middle text-xs font-semibold uppercase tracking-wide text-blue-900">{t("unread")}</span>
                      ) : null}
                      {text}
                    </p>
                    {n.subject ? <p className="break-words text-sm text-slate-800" data-testid="notification-subject">{t("about", { subject: n.subject })}</p> : null}
                    <p className="text-sm text-slate-600">
                      {t("inRollout", { rollout: n.rollout.name })} ·{" "}
                      <time dateTime={n.createdAt.toISOString()} className="tabular-nums">
                        {t("time", { time })}
                      </time>
                    </p>
                  </div>
                  <div className="flex shrink-0 items-center gap-3">
                    <OpenNotificationLink notificationId={n.id} href={n.link} unread={unread} label={text} />
                    {unread ? <MarkReadButton notificationId={n.id} label={text} /> : null}
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </Card>
      {page > 1 || inbox.hasOlder ? (
        <nav aria-label={t("pagination")} className="flex flex-wrap gap-3">
          {page > 1 ? (
            <Link href="/notifications" className={link}>
              {t("newest")}
            </Link>
          ) : null}
          {inbox.hasOlder ? (
            <Link href={`/notifications?page=${page + 1}`} className={link} rel="next">
              {t("older")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
