"use client";

import { useSyncExternalStore } from "react";
import { onDemand } from "@/components/ui/on-demand";
import "./globals.css";

// The last resort, when the root layout itself failed: it replaces the whole document,
// so there is no translation provider here. Its few words, in both languages, are in
// GlobalErrorMessage, fetched when this boundary shows (it is in every page's first
// load otherwise); the language comes from the language cookie, else the browser's.
const GlobalErrorMessage = onDemand(() => import("@/components/boundaries/global-error-message").then((module) => module.GlobalErrorMessage));

function browserLocale(): "en" | "pt-BR" {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("NEXT_LOCALE="))?.split("=")[1];
  const wanted = cookie ?? navigator.language;
  return wanted?.toLowerCase().startsWith("pt") ? "pt-BR" : "en";
}

const noChanges = () => () => {};

export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  // English on the server (no cookie access here), the person's language once in the browser.
  const locale = useSyncExternalStore(noChanges, browserLocale, () => "en" as const);
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-100 font-sans text-slate-900 antialiased">
        <GlobalErrorMessage error={error} retry={retry} locale={locale} />
      </body>
    </html>
  );
}
