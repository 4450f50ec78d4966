import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { PhaseStatusBadge } from "@/components/phases/phase-status-badge";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { getInstanceRights } from "@/lib/auth/access";
import { requirePageActor } from "@/lib/auth/session";
import { listHomeRollouts } from "@/lib/dal/rollouts";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("home"))("title") };
}

/** The rollouts the person belongs to, with what each needs next; archived ones behind a filter. */
export default async function RolloutsHomePage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const actor = await requirePageActor();
  const archived = (await searchParams).archived === "1";
  const [rollouts, rights, t, format] = await Promise.all([
    listHomeRollouts(actor, { archived }),
    getInstanceRights(actor),
    getTranslations(),
    getFormatter(),
  ]);
  const tab = (active: boolean) =>
    `rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-white"}`;
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">{t("home.title")}</h1>
        {rights.canCreateRollouts ? (
          <span className="flex flex-wrap items-center gap-2">
            <Link href="/import" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50">
              {t("import.importLink")}
            </Link>
            <Link href="/new" className="rounded-md bg-green-700 px-4 py-2 text-sm font-semibold text-white hover:bg-green-800">
              {t("home.create")}
            </Link>
          </span>
        ) : null}
      </div>
      <nav aria-label={t("home.filter")} className="flex gap-1">
        <Link href="/" className={tab(!archived)} aria-current={!archived ? "page" : undefined}>
          {t("home.active")}
        </Link>
        <Link href="/?archived=1" className={tab(archived)} aria-current={archived ? "page" : undefined}>
          {t("home.archived")}
        </Link>
      </nav>
      {rollouts.length === 0 ? (
        <Card>
          <p className="text-slate-600">{archived ? t("home.noArchived") : rights.canCreateRollouts ? t("home.emptyCanCreate") : t("home.empty")}</p>
        </Card>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2" aria-label={archived ? t("home.archived") : t("home.active")}>
          {rollouts.map((rollout) => {
            const blockers = rollout.gate?.blockers ?? [];
            return (
              <Card key={rollout.id} as="li" className="flex flex-col gap-3">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <h2 className="text-lg font-semibold">
                    <Link href={`/r/${rollout.slug}`} className="hover:underline">
                      {rollout.name}
                    </Link>
                  </h2>
                  {rollout.archivedAt ? (
                    <Badge tone="neutral" icon="stop">
                      {t("home.archivedOn", { date: format.dateTime(rollout.archivedAt, { dateStyle: "medium" }) })}
                    </Badge>
                  ) : null}
                </div>
                <p className="text-sm text-slate-600">{t("home.starts", { date: format.dateTime(rollout.startDate, { dateStyle: "medium", timeZone: "UTC" }) })}</p>
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="font-medium text-slate-700">{t("home.currentPhase")}</span>
                  {rollout.currentPhase ? (
                    <>
                      <span>{t("home.phase", { number: rollout.currentPhase.position, name: rollout.currentPhase.name })}</span>
                      <PhaseStatusBadge status={rollout.currentPhase.status} />
                    </>
                  ) : (
                    <span className="text-slate-600">{t("home.noOpenPhase")}</span>
                  )}
                </div>
                <ProgressBar
                  percent={rollout.progress.percent}
                  label={t("home.progress")}
                  valueText={t("home.progressValue", { done: rollout.progress.done, total: rollout.progress.total, percent: rollout.progress.percent })}
                />
                <dl className="grid grid-cols-2 gap-2 text-sm">
                  <div className="rounded-md bg-slate-50 p-2">
                    <dt className="text-slate-600">{t("home.overdue")}</dt>
                    <dd className={`text-lg font-semibold ${rollout.overdue > 0 ? "text-red-700" : ""}`} data-testid="overdue">{rollout.overdue}</dd>
                  </div>
                  <div className="rounded-md bg-slate-50 p-2">
                    <dt className="text-slate-600">{t("home.myDecisions")}</dt>
                    <dd className="text-lg font-semibold" data-testid="my-decisions">{rollout.myOpenDecisions}</dd>
                  </div>
                </dl>
                {rollout.gate ? (
                  <div className="text-sm">
                    <p className="font-medium text-slate-700">{t("home.blocks")}</p>
                    {blockers.length === 0 ? (
                      <p className="text-green-800">{t("home.gateOpen")}</p>
                    ) : (
                      <ul className="mt-1 list-disc pl-5 text-slate-700">
                        {blockers.slice(0, 3).map((blocker) => (
                          <li key={blocker.id} className="break-words">
                            {blocker.kind === "item" ? t("home.blockerItem", { text: blocker.text }) : t("home.blockerSignOff", { title: blocker.title })}
                          </li>
                        ))}
                        {rollout.blockerCount > 3 ? <li>{t("home.andMore", { count: rollout.blockerCount - 3 })}</li> : null}
                      </ul>
                    )}
                  </div>
                ) : null}
              </Card>
            );
          })}
        </ul>
      )}
    </div>
  );
}
