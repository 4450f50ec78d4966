import { notFound } from "next/navigation";
import { orNotFound } from "@/lib/server/page";
import { getFormatter, getTranslations } from "next-intl/server";
import { PrintButton } from "@/components/ui/print-button";
import { requirePageActor } from "@/lib/auth/session";
import { getDecisionEvidence, getPhaseCertificate } from "@/lib/dal/ledger";
import { isLookupKey } from "@/lib/validation/input";

/**
 * A print-ready record of a phase's sign-offs (the go/no-go included for the deployment
 * phase): every standing decision with who, role, when and comment, and the hash of the
 * ledger event that recorded it, so the paper can be checked against the chain later.
 */
export default async function CertificatePage({ params }: { params: Promise<{ slug: string; position: string }> }) {
  const { slug, position } = await params;
  const actor = await requirePageActor();
  if (!isLookupKey(slug) || !/^\d{1,6}$/.test(position)) notFound();
  const { rollout, phase, gate, signOffs } = await orNotFound(getPhaseCertificate(actor, slug, Number(position)));
  const [{ events, chain }, t, format] = await Promise.all([
    getDecisionEvidence(actor, rollout.id, signOffs.map((s) => s.id)),
    getTranslations(),
    getFormatter(),
  ]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
  // The event that recorded a standing decision: the latest one by that person on that sign-off.
  const eventFor = (signOffId: string, userId: string) => events.filter((e) => e.targetId === signOffId && e.actorId === userId).at(-1);

  return (
    <article className="mx-auto flex max-w-3xl flex-col gap-5 bg-white p-6 print:max-w-none print:p-0">
      <header className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-300 pb-4">
        <div>
          <p className="text-sm uppercase tracking-wide text-slate-600">{t("certificate.kicker")}</p>
          <h1 className="text-2xl font-bold">{t("certificate.title", { phase: phase.name })}</h1>
          <p className="text-slate-600">{rollout.name}</p>
          <p className="text-sm text-slate-600">{t("certificate.generated", { date: when(new Date()), name: actor.name })}</p>
        </div>
        <PrintButton label={t("certificate.print")} />
      </header>
      <section>
        <h2 className="font-semibold">{t("certificate.gate")}</h2>
        <p className="text-sm">{gate.open ? t("overview.gateOpen") : t("certificate.gateOpenItems", { count: gate.blockers.length })}</p>
        <p className="text-sm">{t(`status.${phase.status}`)}{phase.overrideReason ? ` · ${t("certificate.override", { reason: phase.overrideReason })}` : ""}</p>
      </section>
      <table className="w-full border-collapse text-left text-sm" data-testid="certificate-table">
        <caption className="mb-2 text-left font-semibold">{t("certificate.decisions")}</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-1 pr-2">{t("certificate.signOff")}</th>
            <th scope="col" className="py-1 pr-2">{t("certificate.decision")}</th>
            <th scope="col" className="py-1">{t("certificate.proof")}</th>
          </tr>
        </thead>
        <tbody>
          {signOffs.map((s) => {
            const standing = s.decisions.filter((d) => d.withdrawnAt === null);
            return (
              <tr key={s.id} className="border-b border-slate-200 align-top">
                <th scope="row" className="py-1 pr-2 font-normal">
                  {s.title}
                  <span className="block text-xs text-slate-600">{t(`signOffStatus.${s.status}`)}</span>
                </th>
                <td className="py-1 pr-2">
                  {standing.length === 0 ? <span className="text-slate-600">{t("certificate.none")}</span> : null}
                  {standing.map((d) => (
                    <p key={d.id}>
                      {t(d.value === "APPROVE" ? "signOffs.approvedBy" : "signOffs.rejectedBy", { name: d.user.name, role: t(`roles.${d.role}`), date: when(d.decidedAt) })}
                      {d.comment ? <q className="ml-1 italic">{d.comment}</q> : null}
                      {d.title && d.title !== s.title ? <span className="block text-xs text-slate-600">{t("certificate.decidedOn", { title: d.title })}</span> : null}
                    </p>
                  ))}
                </td>
                <td className="py-1 font-mono text-[10px] break-all text-slate-600">
                  {standing.map((d) => {
                    const event = eventFor(s.id, d.userId);
                    return event ? <p key={d.id}>#{event.seq} {event.hash}</p> : null;
                  })}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <footer className="border-t border-slate-300 pt-3 text-xs text-slate-600">
        <p>{chain.ok ? t("certificate.chainOk", { count: chain.count }) : t("certificate.chainBroken", { seq: chain.problem!.seq })}</p>
        <p className="break-all font-mono">{t("ledger.head", { hash: chain.head ?? "—" })}</p>
      </footer>
    </article>
  );
}
