import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PhaseCard } from "@/components/phases/phase-card";
import { Card } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { getMemberships } from "@/lib/auth/access";
import { can } from "@/lib/auth/permissions";
import { requirePageActor } from "@/lib/auth/session";
import { orNotFound } from "@/lib/server/page";
import { getRolloutOverview } from "@/lib/dal/overview";

export default async function OverviewPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePageActor();
  const [overview, t, tEditor, tImport, memberships] = await Promise.all([
    orNotFound(getRolloutOverview(actor, slug)),
    getTranslations("overview"),
    getTranslations("planEditor"),
    getTranslations("import"),
    getMemberships(actor.id),
  ]);
  // Display only: the editor's data layer checks `plan.edit` itself.
  const membership = memberships.find((m) => m.slug === slug);
  const roles = membership?.roles ?? [];
  const mayEdit = !membership?.archived && can(roles, "plan.edit");
  // Display only: the import's data layer checks `plan.import` and that nothing is recorded yet.
  const mayImport = !membership?.archived && can(roles, "plan.import") && overview.phases.length === 0;
  const { rollout, phases, overall, others } = overview;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <p className="text-sm font-medium text-slate-600">{t("title")}</p>
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{rollout.name}</h1>
        {rollout.description ? <p className="text-slate-600">{rollout.description}</p> : null}
        {mayEdit ? (
          <Link href={`/r/${rollout.slug}/edit`} className="self-start text-sm font-medium text-green-800 underline">
            {tEditor("editLink")}
          </Link>
        ) : null}
      </div>
      <Card>
        <ProgressBar
          percent={overall.percent}
          label={t("overall")}
          valueText={t("progressValue", { done: overall.done, total: overall.total })}
        />
      </Card>
      <section aria-labelledby="phases-title">
        <h2 id="phases-title" className="mb-3 text-lg font-semibold">
          {t("phases")}
        </h2>
        {phases.length === 0 ? (
          <Card>
            <p className="font-medium text-slate-800" data-testid="overview-empty">{t("noPhases")}</p>
            {mayEdit ? (
              <Link href={`/r/${rollout.slug}/edit`} className="mt-1 inline-block text-sm font-medium text-green-800 underline">
                {t("noPhasesEdit")}
              </Link>
            ) : null}
            {mayImport ? (
              <p className="mt-1 text-sm">
                <Link href={`/r/${rollout.slug}/import`} className="font-medium text-green-800 underline">
                  {tImport("importIntoLink")}
                </Link>
              </p>
            ) : null}
            {!mayEdit && !mayImport ? <p className="mt-1 text-sm text-slate-600">{t("noPhasesAsk")}</p> : null}
          </Card>
        ) : null}
        <ol className="grid gap-4 md:grid-cols-2">
          {phases.map((phase) => (
            <PhaseCard key={phase.id} phase={phase} href={`/r/${rollout.slug}/phases/${phase.position}`} />
          ))}
        </ol>
      </section>
      {others.length > 0 ? (
        <nav aria-label={t("otherRollouts")}>
          <h2 className="mb-2 text-lg font-semibold">{t("otherRollouts")}</h2>
          <ul className="list-disc pl-5">
            {others.map((other) => (
              <li key={other.slug}>
                <Link className="text-brand-700 underline" href={`/r/${other.slug}`}>
                  {other.name}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </div>
  );
}
