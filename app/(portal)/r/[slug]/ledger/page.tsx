import { getLocale, getTranslations } from "next-intl/server";
import { Section } from "@/components/dashboard/section";
import { CheckDigestForm } from "@/components/ledger/check-digest-form";
import { Badge } from "@/components/ui/badge";
import { getLedgerReport } from "@/lib/dal/ledger";
import { formatMessage } from "@/lib/i18n/format";
import { isLocale } from "@/lib/i18n/config";
import { orNotFound, rolloutMembership } from "@/lib/server/page";

/** Recomputes the rollout's hash chain now and names the first event that does not match. */
export default async function LedgerPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, membership } = await rolloutMembership(slug);
  const [{ report, why }, t, locale] = await Promise.all([orNotFound(getLedgerReport(actor, membership.rolloutId)), getTranslations("ledger"), getLocale()]);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <Section id="ledger-verify" title={t("verification")}>
        {report.ok ? (
          <p data-testid="ledger-status"><Badge tone="success" icon="check">{t("ok", { count: report.count })}</Badge></p>
        ) : (
          <p data-testid="ledger-status" className="text-red-800">
            <Badge tone="danger" icon="cross">{t("broken", { seq: report.problem!.seq, reason: why ? formatMessage(isLocale(locale) ? locale : "en", why) : report.problem!.reason })}</Badge>
          </p>
        )}
        <p className="break-all font-mono text-xs text-slate-600">{t("head", { hash: report.head ?? "—" })}</p>
        <p className="text-sm text-slate-600">{t("explain")}</p>
      </Section>
      <Section id="ledger-digest" title={t("digest")}>
        <p className="text-sm text-slate-600">{t("digestExplain")}</p>
        <a className="self-start text-sm text-green-800 underline" href={`/r/${membership.slug}/ledger/digest`}>{t("download")}</a>
        <CheckDigestForm rolloutId={membership.rolloutId} />
      </Section>
    </div>
  );
}
