import { useTranslations } from "next-intl";

/** Where a document lives: its path in the repository (monospace) and/or its URL (external link). */
export function DocumentSource({ path, url }: { path: string | null; url: string | null }) {
  const t = useTranslations("documents");
  if (!path && !url) return null;
  const safeUrl = url && /^https?:\/\//i.test(url) ? url : null;
  return (
    <dl className="grid gap-x-3 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
      {path ? (
        <>
          <dt className="font-medium text-slate-600">{t("file")}</dt>
          <dd className="break-all font-mono text-slate-800">{path}</dd>
        </>
      ) : null}
      {safeUrl ? (
        <>
          <dt className="font-medium text-slate-600">{t("link")}</dt>
          <dd className="break-all">
            <a href={safeUrl} target="_blank" rel="noopener noreferrer" className="text-brand-700 underline hover:text-brand-800">
              {safeUrl}
              <span className="sr-only"> {t("opensNewTab")}</span>
              <span aria-hidden="true"> ↗</span>
            </a>
          </dd>
        </>
      ) : url ? (
        <>
          <dt className="font-medium text-slate-600">{t("link")}</dt>
          <dd className="break-all font-mono text-slate-800">{url}</dd>
        </>
      ) : null}
    </dl>
  );
}
