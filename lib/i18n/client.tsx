"use client";

import format, { type CompiledMessage, type FormatOptions } from "icu-minify/format";
import { createContext, useContext, useMemo, type ReactNode } from "react";

/**
 * Translations for client components: the small provider that `ClientMessages`
 * (components/layout/client-messages.tsx) puts around the shell and each section's pages with
 * only the namespaces their client components use, in place of next-intl's client runtime
 * (its configuration, cache, formatters and rich-text support, ~4 kB gzip of every first load). Client components call the same
 * hooks as before (`useTranslations`, `useFormatter`, `useLocale`) from here; server
 * components keep next-intl. The messages arrive compiled at build time (next-intl's
 * `precompile`, next.config.ts) and are formatted by icu-minify's formatter, the one
 * next-intl itself uses for compiled messages.
 *
 * What client components need and no more: plain messages with arguments (numbers, plurals,
 * selects, dates), and dates formatted in the request's time zone. A missing message reads
 * as its key, `namespace.key`, as next-intl shows it.
 */

type Messages = { [key: string]: CompiledMessage | Messages };
type Values = Record<string, string | number | boolean | Date>;
type Context = { locale: string; timeZone: string; messages: Messages };

const IntlContext = createContext<Context | null>(null);

export function ClientIntlProvider({ locale, timeZone, messages, children }: Context & { children: ReactNode }) {
  const value = useMemo(() => ({ locale, timeZone, messages }), [locale, timeZone, messages]);
  return <IntlContext.Provider value={value}>{children}</IntlContext.Provider>;
}

function useIntl(): Context {
  const context = useContext(IntlContext);
  if (!context) throw new Error("A client component translated outside ClientIntlProvider (components/layout/client-messages.tsx).");
  return context;
}

// One Intl object per locale and options, as next-intl keeps them: building one is the slow part.
const cached = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>();
function memo<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>(kind: string, args: unknown[], make: () => T): T {
  const key = `${kind}${JSON.stringify(args)}`;
  let found = cached.get(key) as T | undefined;
  if (!found) {
    found = make();
    cached.set(key, found);
  }
  return found;
}
const formatters: FormatOptions["formatters"] = {
  getDateTimeFormat: (...args) => memo("d", args, () => new Intl.DateTimeFormat(...args)),
  getNumberFormat: (...args) => memo("n", args, () => new Intl.NumberFormat(...args)),
  getPluralRules: (...args) => memo("p", args, () => new Intl.PluralRules(...args)),
};

function lookup(messages: Messages, path: string): CompiledMessage | undefined {
  let node: CompiledMessage | Messages | undefined = messages;
  for (const part of path.split(".")) {
    if (node === undefined || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Messages)[part];
  }
  // A compiled message is a string or an array of parts; an object is a namespace.
  return typeof node === "string" || Array.isArray(node) ? node : undefined;
}

/** A translator for one namespace (or the whole catalogue): `t("key", { name })`. */
export function useTranslations(namespace?: string): (key: string, values?: Values) => string {
  const { locale, timeZone, messages } = useIntl();
  return useMemo(
    () => (key: string, values?: Values) => {
      const path = namespace ? `${namespace}.${key}` : key;
      const message = lookup(messages, path);
      if (message === undefined) {
        if (process.env.NODE_ENV !== "production") console.error(`Missing message: ${path} (${locale})`);
        return path;
      }
      return String(format(message, locale, values, { formatters, timeZone }));
    },
    [namespace, locale, timeZone, messages],
  );
}

/** Dates in the person's language and the request's time zone (the server's and the browser's render agree). */
export function useFormatter(): { dateTime: (value: Date | number, options?: Intl.DateTimeFormatOptions) => string } {
  const { locale, timeZone } = useIntl();
  return useMemo(
    () => ({ dateTime: (value, options) => formatters.getDateTimeFormat(locale, { timeZone, ...options }).format(value) }),
    [locale, timeZone],
  );
}

export function useLocale(): string {
  return useIntl().locale;
}

// Re-exported so that the root layout's chunk carries them: the chunks below the root
// (the header's tools, the live stream, the error boundaries) find them there instead of
// each carrying its own copy (the bundler copies small modules into every chunk that
// needs them unless a parent chunk already has them). 0.8 kB gzip off a rollout page.
export { onDemand } from "@/components/ui/on-demand";
export { SectionErrorOnDemand } from "@/components/boundaries/section-error-on-demand";
