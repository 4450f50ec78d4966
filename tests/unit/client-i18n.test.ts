import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import compile from "icu-minify/compile";
import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json";
import ptBR from "@/lib/i18n/messages/pt-BR.json";
import { ClientIntlProvider, useFormatter, useLocale, useTranslations } from "@/lib/i18n/client";

// Client components translate with lib/i18n/client.tsx, fed the catalogue compiled as the
// build compiles it (next-intl's precompile uses icu-minify's compiler). The expected texts
// are the catalogue's own words.

type Tree = { [key: string]: string | Tree };
function compiled(messages: Tree): Tree {
  return Object.fromEntries(Object.entries(messages).map(([key, value]) => [key, typeof value === "string" ? (compile(value) as unknown as string) : compiled(value)]));
}

function render(locale: "en" | "pt-BR", read: () => string, timeZone = "UTC"): string {
  const catalogue = compiled((locale === "en" ? en : ptBR) as unknown as Tree);
  function Probe() {
    return createElement("output", null, read());
  }
  const html = renderToStaticMarkup(createElement(ClientIntlProvider, { locale, timeZone, messages: catalogue } as never, createElement(Probe)));
  return html.replace(/^<output>|<\/output>$/g, "").replaceAll("&#x27;", "'").replaceAll("&amp;", "&");
}

describe("client translations", () => {
  it("say a namespace's message, with its arguments and plurals, in the provider's language", () => {
    expect(render("en", () => useTranslations("header")("signOut"))).toBe("Sign out");
    expect(render("en", () => useTranslations("header")("account", { name: "Ana Lima" }))).toBe("Your account: Ana Lima");
    expect(render("en", () => useTranslations("header")("notificationsUnread", { count: 0 }))).toBe("Notifications, none unread");
    expect(render("en", () => useTranslations("header")("notificationsUnread", { count: 1 }))).toBe("Notifications, 1 unread");
    expect(render("pt-BR", () => useTranslations("header")("notificationsUnread", { count: 2 }))).toBe("Notificações, 2 não lidas");
    expect(render("pt-BR", () => useTranslations("header")("signOut"))).toBe("Sair");
  });

  it("read a key with its namespace when asked without one", () => {
    expect(render("en", () => useTranslations()("header.yourAccount"))).toBe("Your account");
  });

  it("show a missing message as its key, as next-intl does", () => {
    expect(render("en", () => useTranslations("header")("noSuchMessage"))).toBe("header.noSuchMessage");
    expect(render("en", () => useTranslations("header")("account.deeper"))).toBe("header.account.deeper");
  });

  it("format dates in the provider's time zone and language, and tell the locale", () => {
    // 23:30 UTC on 30 November is already 1 December in Tokyo (UTC+9).
    const late = new Date("2026-11-30T23:30:00Z");
    const useDay = () => useFormatter().dateTime(late, { day: "numeric", month: "long" });
    expect(render("en", useDay)).toBe("November 30");
    expect(render("en", useDay, "Asia/Tokyo")).toBe("December 1");
    expect(render("pt-BR", useDay)).toBe("30 de novembro");
    expect(render("pt-BR", () => useLocale())).toBe("pt-BR");
  });
});
