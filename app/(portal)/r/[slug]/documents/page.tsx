import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ReadingEntryLine } from "@/components/documents/reading-entry-line";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/session";
import { orNotFound } from "@/lib/server/page";
import { listDocuments } from "@/lib/dal/documents";
import { PageLinks } from "@/components/ui/page-links";
import { lenientPageSchema, queryObject } from "@/lib/validation/filters";

export default async function DocumentsPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  // The page is in the URL (`?page=N`); a bad value is the first page.
  const requested = lenientPageSchema.parse(queryObject(await searchParams).page);
  const actor = await requirePageActor();
  const [list, t, tc] = await Promise.all([
    orNotFound(listDocuments(actor, slug, requested)),
    getTranslations("documents"),
    getTranslations("checklistPage"),
  ]);
  const pageLinks = (
    <PageLinks page={list.page} pages={list.pages} href={(n) => (n === 1 ? "?" : `?page=${n}`)} label={tc("pages")} pageOf={tc("pageOf", { page: list.page, pages: list.pages })} />
  );
  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium text-slate-600">{list.rollout.name}</p>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("title")}</h1>
        <p className="mt-1 text-slate-600">{t("intro")}</p>
        <p className="mt-1 text-sm text-slate-600">{t("count", { count: list.count })}</p>
      </div>
      {list.documents.length === 0 ? (
        <Card>
          <p className="text-slate-600">{t("empty")}</p>
        </Card>
      ) : (
        <>
        {pageLinks}
        <ul className="grid gap-4 lg:grid-cols-2">
          {list.documents.map((document) => (
            <Card as="li" key={document.id} className="flex flex-col gap-2">
              <h2 className="text-lg font-semibold">
                <Link href={`/r/${list.rollout.slug}/documents/${document.id}`} className="text-brand-700 underline hover:text-brand-800">
                  {document.title}
                </Link>
              </h2>
              {document.path ? <p className="break-all font-mono text-xs text-slate-600">{document.path}</p> : null}
              {!document.path && document.url ? <p className="break-all font-mono text-xs text-slate-600">{document.url}</p> : null}
              {document.entries.length === 0 ? (
                <p className="text-sm text-slate-600">{t("onNoList")}</p>
              ) : (
                <div className="text-sm">
                  <h3 className="font-medium text-slate-700">{t("readingLists")}</h3>
                  <ul className="mt-1 space-y-1 text-slate-700">
                    {document.entries.map((entry) => (
                      <li key={entry.id}>
                        <ReadingEntryLine entry={entry} />
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </Card>
          ))}
        </ul>
        {pageLinks}
        </>
      )}
    </div>
  );
}
