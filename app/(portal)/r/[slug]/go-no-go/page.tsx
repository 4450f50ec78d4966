import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { Section } from "@/components/dashboard/section";
import { SignOffCard } from "@/components/sign-offs/sign-off-card";
import { Badge } from "@/components/ui/badge";
import { PlanText } from "@/components/ui/plan-text";
import { rolloutPage } from "@/lib/server/page";
import { isOverdue, phaseSummaries, toSignOffCard } from "@/lib/view/dashboard";

/** Everything the go/no-go decision rests on, and the decision itself. */
export default async function GoNoGoPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { snapshot } = await rolloutPage(slug);
  const [t, locale] = await Promise.all([getTranslations(), getLocale()]);
  const now = new Date();
  const decision = snapshot.signOffs.find((s) => s.kind === "GO_NO_GO");
  const deploymentPhase = snapshot.phases.find((p) => p.id === decision?.phaseId) ?? snapshot.phases[0];
  const summary = phaseSummaries(snapshot).find((s) => s.phase.id === deploymentPhase?.id);
  const gateSignOffs = snapshot.signOffs.filter((s) => s.phaseId === deploymentPhase?.id && s.kind !== "GO_NO_GO" && s.requiredForGate);
  const approved = gateSignOffs.filter((s) => s.status === "APPROVED").length;
  const openItems = snapshot.items.filter((i) => i.phaseId === deploymentPhase?.id && i.state === "OPEN" && !i.optional);
  const overdue = snapshot.items.filter((i) => isOverdue(i, now) && !i.optional);
  const criteria = snapshot.criteria;
  const verified = criteria.filter((c) => c.verifiedAt).length;

  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium text-slate-500">{snapshot.rollout.name}</p>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("goNoGo.title")}</h1>
        {deploymentPhase ? <p className="text-slate-600">{t("goNoGo.phase", { name: deploymentPhase.name })}</p> : null}
      </div>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Section id="gng-signoffs" title={t("goNoGo.signOffs")}>
          <Badge tone={approved === gateSignOffs.length ? "success" : "warning"} icon={approved === gateSignOffs.length ? "check" : "clock"}>{t("goNoGo.ofApproved", { approved, total: gateSignOffs.length })}</Badge>
        </Section>
        <Section id="gng-items" title={t("goNoGo.openItems")}>
          <Badge tone={openItems.length ? "warning" : "success"} icon={openItems.length ? "box" : "check"}>{t("goNoGo.count", { count: openItems.length })}</Badge>
        </Section>
        <Section id="gng-criteria" title={t("goNoGo.criteria")}>
          <Badge tone={verified === criteria.length ? "success" : "warning"} icon={verified === criteria.length ? "check" : "clock"}>{t("goNoGo.ofVerified", { verified, total: criteria.length })}</Badge>
        </Section>
        <Section id="gng-overdue" title={t("goNoGo.overdue")}>
          <Badge tone={overdue.length ? "danger" : "success"} icon="clock">{t("goNoGo.count", { count: overdue.length })}</Badge>
        </Section>
      </div>
      {summary && !summary.gate.open ? (
        <Section id="gng-blockers" title={t("overview.gateBlocked")}>
          <ul className="list-disc pl-5 text-sm">
            {summary.gate.blockers.filter((b) => b.id !== decision?.id).map((b) => (
              <li key={b.id}>{b.kind === "item" ? <PlanText text={b.text} /> : b.title}</li>
            ))}
          </ul>
        </Section>
      ) : null}
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
      {decision ? (
        <Section id="gng-decision" title={t("goNoGo.decision")}>
          <p className="text-sm text-slate-600">{t("goNoGo.explain")}</p>
          {deploymentPhase ? (
            <Link className="self-start text-sm text-green-800 underline" href={`/r/${snapshot.rollout.slug}/phases/${deploymentPhase.position}/certificate`}>
              {t("phase.certificate")}
            </Link>
          ) : null}
          <SignOffCard signOff={toSignOffCard(decision, snapshot, locale)} />
        </Section>
      ) : null}
    </div>
  );
}
