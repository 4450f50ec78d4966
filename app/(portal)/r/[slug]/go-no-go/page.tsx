import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { Section } from "@/components/dashboard/section";
import { SignOffCard } from "@/components/sign-offs/sign-off-card";
import { Badge } from "@/components/ui/badge";
import { GateSummary } from "@/components/gate/gate-summary";
import { requirePageActor } from "@/lib/auth/session";
import { getGoNoGoPage } from "@/lib/dal/gate-pages";
import { orNotFound } from "@/lib/server/page";
import { isLookupKey } from "@/lib/validation/input";
import { GO_NO_GO_BLOCKERS } from "@/lib/view/limits";
import { signOffCard } from "@/lib/view/sign-off-cards";

/**
 * Everything each go/no-go decision rests on, and the decision itself. A plan may hold any
 * number of them (one per phase that ends in one), or none: then the phase under way is shown.
 */
export default async function GoNoGoPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePageActor();
  if (!isLookupKey(slug)) notFound();
  // The decisions, the gates and the criteria's first lines, all counted in SQL: bounded whatever the plan's size.
  const data = await orNotFound(getGoNoGoPage(actor, slug));
  const [t, locale] = await Promise.all([getTranslations(), getLocale()]);
  const { rollout, phases, decisions, criteria } = data;
  const current = phases.find((p) => p.status !== "DONE" && p.status !== "SKIPPED") ?? phases[0];
  const blocks = decisions.length > 0 ? decisions.map((decision) => ({ decision, phase: phases.find((p) => p.id === decision.phaseId) })) : [{ decision: undefined, phase: current }];
  const total = data.criteriaCount;
  const verified = data.verifiedCount;
  const overdue = data.overdue;

  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium text-slate-600">{rollout.name}</p>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("goNoGo.title")}</h1>
        {decisions.length === 0 ? <p className="text-slate-600">{t("goNoGo.noDecision")}</p> : null}
        {data.decisionCount > decisions.length ? <p className="text-slate-600">{t("dashboard.showingFirst", { shown: decisions.length, total: data.decisionCount })}</p> : null}
      </div>
      {blocks.map(({ decision, phase }) => {
        const key = decision?.id ?? phase?.id ?? "none";
        return (
          <div key={key} className="flex flex-col gap-4">
            {phase ? <h2 className="text-xl font-semibold">{t("goNoGo.phase", { name: phase.name })}</h2> : null}
            <div className="grid gap-4 sm:grid-cols-2">
              <Section id={`gng-criteria-${key}`} title={t("goNoGo.criteriaVerified")}>
                <p><Badge tone={verified === total ? "success" : "warning"} icon={verified === total ? "check" : "clock"}>{t("goNoGo.ofVerified", { verified, total })}</Badge></p>
              </Section>
              <Section id={`gng-overdue-${key}`} title={t("goNoGo.overdue")}>
                <p><Badge tone={overdue ? "danger" : "success"} icon="clock">{t("goNoGo.count", { count: overdue })}</Badge></p>
              </Section>
            </div>
            {phase ? (
              <Section id={`gng-gate-${key}`} title={t("overview.gate")}>
                <GateSummary gate={phase.gateState} shown={GO_NO_GO_BLOCKERS} href={`/r/${rollout.slug}/phases/${phase.position}#phase-gate`} />
              </Section>
            ) : null}
            {decision ? (
              <Section id={`gng-decision-${key}`} title={t("goNoGo.decision")}>
                <p className="text-sm text-slate-600">{t("goNoGo.explain")}</p>
                {phase ? (
                  <Link className="self-start text-sm text-green-800 underline" href={`/r/${rollout.slug}/phases/${phase.position}/certificate`}>
                    {t("phase.certificate")}
                  </Link>
                ) : null}
                <SignOffCard signOff={signOffCard(decision, data, locale)} />
              </Section>
            ) : null}
          </div>
        );
      })}
      <Section id="gng-criteria-list" title={t("goNoGo.criteria")}>
        <ul className="flex flex-col gap-1 text-sm">
          {criteria.map((c) => (
            <li key={c.id} className="flex items-center justify-between gap-2">
              <span>{c.text}</span>
              <Badge tone={c.verifiedAt ? "success" : "neutral"} icon={c.verifiedAt ? "check" : "box"}>{c.verifiedAt ? t("ops.verified") : t("ops.notVerified")}</Badge>
            </li>
          ))}
        </ul>
        {total > criteria.length ? (
          <p className="text-sm text-slate-600">
            {t("dashboard.showingFirst", { shown: criteria.length, total })}{" "}
            <Link className="text-green-800 underline" href={`/r/${rollout.slug}/criteria`}>{t("ops.allCriteria")}</Link>
          </p>
        ) : null}
      </Section>
    </div>
  );
}
