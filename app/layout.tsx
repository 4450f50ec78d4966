import type { Metadata, Viewport } from "next";
import { getLocale, getMessages, getTimeZone, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { ClientIntlProvider } from "@/lib/i18n/client";
import { CLIENT_NAMESPACES } from "@/lib/i18n/client-namespaces";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("app");
  return { title: { default: t("name"), template: `%s · ${t("name")}` }, description: t("tagline") };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const [t, messages, timeZone] = await Promise.all([getTranslations("app"), getMessages(), getTimeZone()]);
  const clientMessages = Object.fromEntries(CLIENT_NAMESPACES.map((namespace) => [namespace, messages[namespace]]));
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-100 font-sans text-slate-900 antialiased print:bg-white">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
          {t("skipToContent")}
        </a>
        {/* Client components' translations: their namespaces only, formatted by a small provider (lib/i18n/client.tsx). */}
        <ClientIntlProvider locale={locale} timeZone={timeZone} messages={clientMessages}>
          {children}
        </ClientIntlProvider>
      </body>
    </html>
  );
}
