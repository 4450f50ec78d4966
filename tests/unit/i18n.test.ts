import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json";
import ptBR from "@/lib/i18n/messages/pt-BR.json";
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
