"use client";

import { useTranslations } from "@/lib/i18n/client";
import { useEffect, useRef, useTransition } from "react";

/**
 * What a section shows when it could not render (the database was down, a query timed
 * out): what happened, that nothing saved is lost, a retry that fetches the section
 * again without reloading the page, and the digest to quote (the server logs the error
 * under it). The layouts around it — the header, the rollout's navigation — stay.
 */
export function SectionError({ error, retry, whole = false }: { error: unknown; retry: () => void; whole?: boolean }) {
  const t = useTranslations("boundary");
  const [retrying, startRetry] = useTransition();
  const heading = useRef<HTMLHeadingElement>(null);
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  useEffect(() => heading.current?.focus(), []);
  return (
    <section data-testid="section-error" aria-labelledby="section-error-title" className="flex flex-col gap-3 rounded-lg border border-red-200 bg-white p-5">
      <h1 id="section-error-title" ref={heading} tabIndex={-1} className="text-lg font-semibold text-red-800 outline-none">
        {whole ? t("pageTitle") : t("sectionTitle")}
      </h1>
      <p className="text-sm text-slate-700">{t("explanation")}</p>
      {digest ? <p className="font-mono text-xs text-slate-600">{t("reference", { digest })}</p> : null}
      <button
        type="button"
        onClick={() => startRetry(() => retry())}
        disabled={retrying}
        className="self-start rounded-md bg-slate-800 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-900 disabled:opacity-60"
      >
        {retrying ? t("retrying") : t("retry")}
      </button>
    </section>
  );
}
