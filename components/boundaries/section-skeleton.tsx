import { useTranslations } from "next-intl";

/** A section's placeholder while its data loads: the shape of a heading and a few cards. */
export function SectionSkeleton({ cards = 3 }: { cards?: number }) {
  const t = useTranslations("boundary");
  return (
    <div role="status" aria-live="polite" data-testid="section-loading" className="flex flex-col gap-4">
      <span className="sr-only">{t("loading")}</span>
      <div aria-hidden="true" className="h-7 w-64 max-w-full animate-pulse rounded bg-slate-200" />
      {Array.from({ length: cards }, (_, i) => (
        <div key={i} aria-hidden="true" className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4">
          <div className="h-4 w-1/3 animate-pulse rounded bg-slate-200" />
          <div className="h-3 w-full animate-pulse rounded bg-slate-100" />
          <div className="h-3 w-5/6 animate-pulse rounded bg-slate-100" />
        </div>
      ))}
    </div>
  );
}
