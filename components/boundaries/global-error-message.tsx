"use client";

// What the last-resort boundary (app/global-error.tsx) shows, fetched when it is needed.
// There is no translation provider there (the root layout failed), so its few words are
// kept in both languages here.
const TEXT = {
  en: {
    title: "Greenlight could not load",
    explanation: "It may be a passing problem (for example, the database is unavailable). Nothing you already saved is lost.",
    retry: "Try again",
    reference: "Reference:",
  },
  "pt-BR": {
    title: "O Greenlight não pôde ser carregado",
    explanation: "Pode ser um problema passageiro (por exemplo, o banco de dados está indisponível). Nada do que você já salvou se perdeu.",
    retry: "Tentar de novo",
    reference: "Referência:",
  },
} as const;

export function GlobalErrorMessage({ error, retry, locale }: { error: unknown; retry: () => void; locale: keyof typeof TEXT }) {
  const t = TEXT[locale];
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  return (
    <>
      <title>{t.title}</title>
      <main className="mx-auto flex max-w-xl flex-col gap-3 px-4 py-10">
        <h1 className="text-xl font-semibold text-red-800">{t.title}</h1>
        <p className="text-sm text-slate-700">{t.explanation}</p>
        {digest ? <p className="font-mono text-xs text-slate-600">{t.reference} {digest}</p> : null}
        <button type="button" onClick={() => retry()} className="self-start rounded-md bg-slate-800 px-3 py-1.5 text-sm font-semibold text-white">
          {t.retry}
        </button>
      </main>
    </>
  );
}
