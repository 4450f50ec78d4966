import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { Section } from "@/components/dashboard/section";
import { SignOffCard } from "@/components/sign-offs/sign-off-card";
import { Badge } from "@/components/ui/badge";
import { GateSummary } from "@/components/gate/gate-summary";
import { rolloutPage } from "@/lib/server/page";
import { isOverdue, phaseSummaries, toSignOffCard } from "@/lib/view/dashboard";

/**
 * Everything each go/no-go decision rests on, and the decision itself. A plan may hold any
 * number of them (one per phase that ends in one), or none: then the phase under way is shown.
 */
export default async function GoNoGoPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { snapshot } = await rolloutPage(slug);
  const [t, locale] = await Promise.all([getTranslations(), getLocale()]);
  const now = new Date();
  const decisions = snapshot.signOffs.filter((s) => s.kind === "GO_NO_GO");
  const current = snapshot.phases.find((p) => p.status !== "DONE" && p.status !== "SKIPPED") ?? snapshot.phases[0];
  const blocks = decisions.length > 0 ? decisions.map((decision) => ({ decision, phase: snapshot.phases.find((p) => p.id === decision.phaseId) })) : [{ decision: undefined, phase: current }];
  const summaries = phaseSummaries(snapshot);
  const overdue = snapshot.items.filter((i) => isOverdue(i, now) && !i.optional);
  const criteria = snapshot.criteria;
  const verified = criteria.filter((c) => c.verifiedAt).length;

  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium text-slate-600">{snapshot.rollout.name}</p>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("goNoGo.title")}</h1>
        {decisions.length === 0 ? <p className="text-slate-600">{t("goNoGo.noDecision")}</p> : null}
      </div>
      {blocks.map(({ decision, phase }) => {
        const summary = summaries.find((s) => s.phase.id === phase?.id);
        const key = decision?.id ?? phase?.id ?? "none";
        return (
          <div key={key} className="flex flex-col gap-4">
            {phase ? <h2 className="text-xl font-semibold">{t("goNoGo.phase", { name: phase.name })}</h2> : null}
            <div className="grid gap-4 sm:grid-cols-2">
              <Section id={`gng-criteria-${key}`} title={t("goNoGo.criteriaVerified")}>
                <p><Badge tone={verified === criteria.length ? "success" : "warning"} icon={verified === criteria.length ? "check" : "clock"}>{t("goNoGo.ofVerified", { verified, total: criteria.length })}</Badge></p>
              </Section>
              <Section id={`gng-overdue-${key}`} title={t("goNoGo.overdue")}>
                <p><Badge tone={overdue.length ? "danger" : "success"} icon="clock">{t("goNoGo.count", { count: overdue.length })}</Badge></p>
              </Section>
            </div>
            {summary ? (
              <Section id={`gng-gate-${key}`} title={t("overview.gate")}>
                <GateSummary gate={summary.state} shown={5} href={`/r/${snapshot.rollout.slug}/phases/${summary.phase.position}#phase-gate`} />
              </Section>
            ) : null}
            {decision ? (
              <Section id={`gng-decision-${key}`} title={t("goNoGo.decision")}>
                <p className="text-sm text-slate-600">{t("goNoGo.explain")}</p>
                {phase ? (
                  <Link className="self-start text-sm text-green-800 underline" href={`/r/${snapshot.rollout.slug}/phases/${phase.position}/certificate`}>
                    {t("phase.certificate")}
                  </Link>
                ) : null}
                <SignOffCard signOff={toSignOffCard(decision, snapshot, locale)} />
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
      </Section>
    </div>
  );
}
