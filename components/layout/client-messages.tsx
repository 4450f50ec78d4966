import { getLocale, getMessages, getTimeZone } from "next-intl/server";
import type { ReactNode } from "react";
import { ClientIntlProvider } from "@/lib/i18n/client";
import type { ClientNamespace } from "@/lib/i18n/client-namespaces";

/**
 * The translations the client components below need, and no more: every message given to a
 * provider is serialized into each page's HTML and its Server Components payload (the
 * whole client catalogue was ~21 kB of every page). A provider replaces the one above it,
 * so a segment's layout lists every namespace its pages' client components use
 * (tests/unit/client-messages.test.ts checks that from the import graph). The root layout
 * gives the shell's few (SHELL_NAMESPACES). The messages are formatted in the browser by
 * the small provider of lib/i18n/client.tsx.
 */
export async function ClientMessages({ namespaces, children }: { namespaces: readonly ClientNamespace[]; children: ReactNode }) {
  const [locale, timeZone, messages] = await Promise.all([getLocale(), getTimeZone(), getMessages()]);
  const given = Object.fromEntries(namespaces.map((namespace) => [namespace, messages[namespace]]));
  return (
    <ClientIntlProvider locale={locale} timeZone={timeZone} messages={given}>
      {children}
    </ClientIntlProvider>
  );
}
