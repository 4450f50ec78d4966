"use client";

import { useSyncExternalStore } from "react";
import "./globals.css";

// The last resort, when the root layout itself failed: it replaces the whole document,
// so there is no translation provider here. Its few words are kept in both languages
// in this file and chosen from the language cookie, else the browser's language.
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

function browserLocale(): keyof typeof TEXT {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("NEXT_LOCALE="))?.split("=")[1];
  const wanted = cookie ?? navigator.language;
  return wanted?.toLowerCase().startsWith("pt") ? "pt-BR" : "en";
}

const noChanges = () => () => {};

export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  // English on the server (no cookie access here), the person's language once in the browser.
  const locale = useSyncExternalStore(noChanges, browserLocale, () => "en" as const);
  const t = TEXT[locale];
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-100 font-sans text-slate-900 antialiased">
        <title>{t.title}</title>
        <main className="mx-auto flex max-w-xl flex-col gap-3 px-4 py-10">
          <h1 className="text-xl font-semibold text-red-800">{t.title}</h1>
          <p className="text-sm text-slate-700">{t.explanation}</p>
          {digest ? <p className="font-mono text-xs text-slate-600">{t.reference} {digest}</p> : null}
          <button type="button" onClick={() => retry()} className="self-start rounded-md bg-slate-800 px-3 py-1.5 text-sm font-semibold text-white">
            {t.retry}
          </button>
        </main>
      </body>
    </html>
  );
}
