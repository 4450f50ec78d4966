import { _createCache, _createIntlFormatters, createTranslator, initializeConfig } from "next-intl";
import { describe, expect, it } from "vitest";
import { SHARED_MESSAGE_CACHE } from "@/lib/i18n/message-cache";
import en from "@/lib/i18n/messages/en.json";
import ptBR from "@/lib/i18n/messages/pt-BR.json";

// The request config hands next-intl one compiled-message cache for the whole process
// (lib/i18n/request.ts). What that relies on, built the way next-intl builds a server
// component's translator for each request (getConfig: initializeConfig over the request
// config, with formatters of the request's own; then createTranslator over that config):
// the cache reaches the translator, translations stay right in each language, and a
// second request compiles no message again.

type Catalog = Record<string, unknown>;

/** A server component's translator for one request, as next-intl makes it. */
function requestTranslator(locale: "en" | "pt-BR", messages: Catalog) {
  const config = { ...initializeConfig({ locale, messages, timeZone: "UTC", _cache: SHARED_MESSAGE_CACHE } as Parameters<typeof initializeConfig>[0]), _formatters: _createIntlFormatters(_createCache()) };
  expect((config as { _cache?: unknown })._cache, "the request config's cache reaches the translator").toBe(SHARED_MESSAGE_CACHE);
  return createTranslator(config as Parameters<typeof createTranslator>[0]);
}

/** A catalog message with an ICU argument: found in the catalog, not written here. */
function messageWithArgument(catalog: Catalog): { key: string; text: string; argument: string } {
  const walk = (node: unknown, path: string[]): { key: string; text: string; argument: string } | null => {
    if (typeof node === "string") {
      const match = /^[^{}']*\{(\w+)\}[^{}']*$/.exec(node);
      return match ? { key: path.join("."), text: node, argument: match[1] } : null;
    }
    if (node && typeof node === "object") {
      for (const [name, child] of Object.entries(node)) {
        const found = walk(child, [...path, name]);
        if (found) return found;
      }
    }
    return null;
  };
  const found = walk(catalog, []);
  if (!found) throw new Error("no message with a single simple argument in the catalog");
  return found;
}

describe("one compiled-message cache for the process", () => {
  it("translates each language with its own catalog, and a later request compiles nothing again", () => {
    for (const [locale, catalog] of [["en", en], ["pt-BR", ptBR]] as const) {
      const { key, text, argument } = messageWithArgument(catalog);
      const expected = text.replace(`{${argument}}`, "Zé");
      const first = requestTranslator(locale, catalog);
      expect(first(key as never, { [argument]: "Zé" } as never)).toBe(expected);
      const compiled = Object.keys(SHARED_MESSAGE_CACHE.message).length;
      expect(compiled).toBeGreaterThan(0);
      // The next request: new formatters, the same cache.
      const second = requestTranslator(locale, catalog);
      expect(second(key as never, { [argument]: "Ana" } as never)).toBe(text.replace(`{${argument}}`, "Ana"));
      expect(Object.keys(SHARED_MESSAGE_CACHE.message).length).toBe(compiled);
    }
  });

  it("the same message in another language is compiled for that language, not taken from the first", () => {
    const shared = "{count, plural, one {# item} other {# items}}";
    const english = requestTranslator("en", { probe: { label: shared } });
    const portuguese = requestTranslator("pt-BR", { probe: { label: shared } });
    expect(english("probe.label" as never, { count: 1200 } as never)).toBe("1,200 items");
    // Portuguese groups thousands with a dot: a formatter compiled for English would say "1,200".
    expect(portuguese("probe.label" as never, { count: 1200 } as never)).toBe("1.200 items");
  });
});
