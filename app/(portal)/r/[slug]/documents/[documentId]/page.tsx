import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { DocumentBody } from "@/components/documents/document-body";
import { DocumentSource } from "@/components/documents/document-source";
import { MarkReadButton } from "@/components/reading/mark-read-button";
import { ReadBadge } from "@/components/documents/reading-entry-line";
import { Card } from "@/components/ui/card";
import { PlanText } from "@/components/ui/plan-text";
import { requirePageActor } from "@/lib/auth/session";
import { orNotFound } from "@/lib/server/page";
import { getDocumentForPage } from "@/lib/dal/documents";

export default async function DocumentPage({ params }: { params: Promise<{ slug: string; documentId: string }> }) {
  const { slug, documentId } = await params;
  const actor = await requirePageActor();
  const [page, t] = await Promise.all([
    orNotFound(getDocumentForPage(actor, slug, documentId)),
    getTranslations(),
  ]);
  const { document, rollout } = page;
  const mine = page.entries.filter((entry) => entry.mine);
  const others = page.entries.filter((entry) => !entry.mine);

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <p className="text-sm">
          <Link href={`/r/${rollout.slug}/documents`} className="text-brand-700 underline hover:text-brand-800">
            <span aria-hidden="true">← </span>
            {t("documents.back")}
          </Link>
        </p>
        <p className="text-sm font-medium text-slate-600">{rollout.name}</p>
        <h1 className="text-2xl font-bold break-words sm:text-3xl">{document.title}</h1>
        <DocumentSource path={document.path} url={document.url} />
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="flex flex-col gap-6">
          {document.summary.length > 0 || document.action ? (
            <Card>
              {document.summary.length > 0 ? (
                <>
                  <h2 className="text-lg font-semibold">{t("documents.summary")}</h2>
                  <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-800">
                    {document.summary.map((line, index) => (
                      <li key={index}>
                        <PlanText text={line} />
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {document.action ? (
                <p className="mt-3 rounded-lg bg-slate-50 p-3 text-slate-800">
                  <span className="font-semibold">{t("documents.action")}: </span>
                  <PlanText text={document.action} />
                </p>
              ) : null}
            </Card>
          ) : null}

          <Card as="article">
            <h2 className="sr-only">{t("documents.body")}</h2>
            {document.body ? <DocumentBody markdown={document.body} /> : <p className="text-slate-600">{t("documents.noBody")}</p>}
          </Card>
        </div>

        <aside className="flex flex-col gap-6" aria-labelledby="your-reading-title">
          <Card>
            <h2 id="your-reading-title" className="text-lg font-semibold">
              {t("documents.yourReading")}
            </h2>
            {mine.length === 0 ? (
              <p className="mt-2 text-sm text-slate-600">{t("documents.notYours")}</p>
            ) : (
              <ul className="mt-2 divide-y divide-slate-100">
                {mine.map((entry) => {
                  const labelId = `entry-${entry.id}-label`;
                  return (
                    <li key={entry.id} className="flex flex-col gap-2 py-3 text-sm">
                      <p id={labelId} className="font-medium text-slate-900">
                        {t("documents.forRole", { role: t(`roles.${entry.role}`) })}
                      </p>
                      <p className="text-slate-600">
                        {t("documents.position", { position: entry.position + 1 })} · {t("documents.minutes", { minutes: entry.minutes })}
                      </p>
                      {entry.sectionHint ? <p className="text-slate-700">{t("documents.section", { hint: entry.sectionHint })}</p> : null}
                      <div>
                        <ReadBadge entry={entry} />
                      </div>
                      {rollout.archived ? null : <MarkReadButton entryId={entry.id} read={entry.readAt !== null} title={document.title} describedBy={labelId} />}
                    </li>
                  );
                })}
              </ul>
            )}
          </Card>
          {others.length > 0 ? (
            <Card>
              <h2 className="font-semibold">{t("documents.otherRoles")}</h2>
              <ul className="mt-2 space-y-1 text-sm text-slate-700">
                {others.map((entry) => (
                  <li key={entry.id}>
                    {t("documents.entry", { role: t(`roles.${entry.role}`), position: entry.position + 1, minutes: entry.minutes })}
                    {entry.sectionHint ? <span className="text-slate-600"> · {t("documents.section", { hint: entry.sectionHint })}</span> : null}
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
        </aside>
      </div>
    </div>
  );
}
