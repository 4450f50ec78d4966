import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ActivityFeed } from "@/components/activity/activity-feed";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/session";
import { orNotFound } from "@/lib/server/page";
import { listActivity } from "@/lib/dal/activity";

/** `?before=<seq>`: a positive whole number, else the newest page. */
function parseCursor(value: string | string[] | undefined): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !/^\d{1,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 ? n : null;
}

export default async function ActivityPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const before = parseCursor(query.before);
  const actor = await requirePageActor();
  const [activity, t] = await Promise.all([
    orNotFound(listActivity(actor, slug, { before })),
    getTranslations("activity"),
  ]);
  const base = `/r/${activity.rollout.slug}/activity`;
  const link = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50";

  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium text-slate-600">{activity.rollout.name}</p>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("title")}</h1>
        <p className="mt-1 text-slate-600">{t("intro")}</p>
      </div>
      <Card>
        {activity.events.length === 0 ? (
          <p className="text-slate-600">{before === null ? t("empty") : t("emptyPage")}</p>
        ) : (
          <ActivityFeed events={activity.events} />
        )}
      </Card>
      {before !== null || activity.nextBefore !== null ? (
        <nav aria-label={t("pagination")} className="flex flex-wrap gap-3">
          {before !== null ? (
            <Link href={base} className={link}>
              {t("newest")}
            </Link>
          ) : null}
          {activity.nextBefore !== null ? (
            <Link href={`${base}?before=${activity.nextBefore}`} className={link} rel="next">
              {t("older")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
