import { useTranslations } from "next-intl";

/** "Not found" inside the portal's frame: also what a rollout one does not belong to answers, so nothing leaks. */
export function NotFoundPanel({ text }: { text?: "notFoundText" | "notFoundRollout" }) {
  const t = useTranslations("boundary");
  return (
    <section data-testid="not-found" className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-5">
      <h1 className="text-lg font-semibold">{t("notFoundTitle")}</h1>
      <p className="text-sm text-slate-700">{t(text ?? "notFoundText")}</p>
      {/* A plain link, not next/link: the root "not found" renders this panel, and next/link there
          put a second copy of the link code (3.8 kB gzip) in every page's first load. */}
      <a href="/home" className="self-start text-sm font-medium text-green-800 underline">
        {t("home")}
      </a>
    </section>
  );
}
