import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json";
import ptBR from "@/lib/i18n/messages/pt-BR.json";
import compile from "icu-minify/compile";
import format from "icu-minify/format";
import { createTranslator } from "next-intl";
import { negotiateLocale } from "@/lib/i18n/config";

function keys(messages: object, prefix = ""): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === "object" && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe("translations", () => {
  it("has every English message in Brazilian Portuguese and no extra ones", () => {
    expect(keys(ptBR).sort()).toEqual(keys(en).sort());
  });

  it("has no empty message", () => {
    const empty = (messages: object) => keys(messages).filter((k) => !k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], messages));
    expect(empty(en)).toEqual([]);
    expect(empty(ptBR)).toEqual([]);
  });

  // The build compiles every message ahead of time (next-intl's `precompile`, next.config.ts):
  // a message the compiler refuses fails the build, and the browser formats the compiled form.
  it("compiles every message, and a compiled message reads as its source does", () => {
    const formatters = {
      getDateTimeFormat: (...args: ConstructorParameters<typeof Intl.DateTimeFormat>) => new Intl.DateTimeFormat(...args),
      getNumberFormat: (...args: ConstructorParameters<typeof Intl.NumberFormat>) => new Intl.NumberFormat(...args),
      getPluralRules: (...args: ConstructorParameters<typeof Intl.PluralRules>) => new Intl.PluralRules(...args),
    };
    for (const [locale, messages] of [["en", en], ["pt-BR", ptBR]] as const) {
      const t = createTranslator({ locale, messages });
      const refused: string[] = [];
      const differing: string[] = [];
      for (const key of keys(messages)) {
        const source = key.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], messages) as string;
        let compiled;
        try {
          compiled = compile(source);
        } catch {
          refused.push(key);
          continue;
        }
        // Messages without arguments: the compiled form must say exactly what the source says.
        if (/[{}]/.test(source)) continue;
        const read = format(compiled, locale, undefined, { formatters });
        if (read !== (t as unknown as (key: string) => string)(key)) differing.push(key);
      }
      expect(refused, `${locale} messages the compiler refuses`).toEqual([]);
      expect(differing, `${locale} messages that read differently compiled`).toEqual([]);
    }
    // Angle brackets are quoted in the catalogue (ICU reads them as tags otherwise) and shown as typed.
    expect(format(compile(en.apiTokens.explain), "en", undefined, { formatters })).toContain("Authorization: Bearer <token>");
  });
});

describe("negotiateLocale", () => {
  it.each([
    ["pt-BR,pt;q=0.9,en;q=0.8", "pt-BR"],
    ["pt-PT", "pt-BR"],
    ["en-US,en;q=0.9", "en"],
    ["de-DE,pt;q=0.5", "pt-BR"],
    ["fr-FR", "en"],
    ["en;q=0.1,pt;q=0.9", "pt-BR"],
    ["", "en"],
  ])("%s → %s", (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });
});

describe("messages sent to the browser", () => {
  it("include every namespace a client component translates with", async () => {
    const { readdirSync, readFileSync, statSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { CLIENT_NAMESPACES } = await import("@/lib/i18n/client-namespaces");
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
      });
    const used = new Set<string>();
    for (const file of ["app", "components", "lib"].flatMap(files)) {
      const source = readFileSync(file, "utf8");
      if (!source.startsWith('"use client"')) continue;
      for (const match of source.matchAll(/useTranslations\("([a-zA-Z]+)/g)) used.add(match[1]);
      // A translator without a namespace: the keys it is called with name theirs.
      if (source.includes("useTranslations()")) for (const match of source.matchAll(/\bt\(`?"?([a-zA-Z]+)\./g)) used.add(match[1]);
    }
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((namespace) => !(CLIENT_NAMESPACES as readonly string[]).includes(namespace))).toEqual([]);
  });
});
