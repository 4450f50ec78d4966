import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CLIENT_NAMESPACES, SHELL_NAMESPACES } from "@/lib/i18n/client-namespaces";

// Each page gets only the translations its client components use: the root layout provides
// the shell's namespaces, and a segment's layout wraps its pages in a provider of their own
// (`<ClientMessages namespaces={[…]}>`), which replaces the one above it. This follows the
// static imports from every page, layout and boundary: once inside a "use client" module,
// every `useTranslations` namespace below it must be in the nearest provider above the file.

const ROOT = resolve(__dirname, "../..");
const APP = join(ROOT, "app");
const SPECIAL_FILES = ["page.tsx", "layout.tsx", "error.tsx", "loading.tsx", "not-found.tsx", "template.tsx", "default.tsx"];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function resolveImport(spec: string, from: string): string | null {
  const base = spec.startsWith("@/") ? join(ROOT, spec.slice(2)) : spec.startsWith(".") ? resolve(dirname(from), spec) : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.tsx`, `${base}.ts`, join(base, "index.tsx"), join(base, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

type Module = { client: boolean; namespaces: Set<string>; imports: string[] };
const modules = new Map<string, Module>();

function moduleAt(path: string): Module {
  const known = modules.get(path);
  if (known) return known;
  const source = readFileSync(path, "utf8");
  const namespaces = new Set<string>();
  for (const match of source.matchAll(/useTranslations\(\s*"([a-zA-Z]+)/g)) namespaces.add(match[1]);
  // A translator without a namespace: the keys it is called with name theirs.
  if (/useTranslations\(\s*\)/.test(source)) for (const match of source.matchAll(/\bt\(\s*[`"]([a-zA-Z]+)\./g)) namespaces.add(match[1]);
  const specs = [
    ...[...source.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]),
    ...[...source.matchAll(/^\s*import\s+"([^"]+)"/gm)].map((m) => m[1]),
    ...[...source.matchAll(/import\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]),
  ];
  const mod = {
    client: /^\s*["']use client["']/.test(source),
    namespaces,
    imports: specs.map((spec) => resolveImport(spec, path)).filter((p): p is string => p !== null),
  };
  modules.set(path, mod);
  return mod;
}

/** The namespaces the client components a file renders (directly or through its imports) translate with. */
function neededBy(entry: string): Set<string> {
  const needed = new Set<string>();
  const seen = new Set<string>();
  const stack: [string, boolean][] = [[entry, false]];
  while (stack.length) {
    const [path, insideClient] = stack.pop()!;
    const key = `${path}|${insideClient}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const mod = moduleAt(path);
    const client = insideClient || mod.client;
    if (client) for (const namespace of mod.namespaces) needed.add(namespace);
    for (const next of mod.imports) stack.push([next, client]);
  }
  return needed;
}

/** What a layout's provider gives, or null when the layout has none. */
function providedByLayout(layout: string): string[] | null {
  const source = readFileSync(layout, "utf8");
  const match = source.match(/<ClientMessages\s+namespaces=\{([^}]*)\}/);
  if (!match) return null;
  const value = match[1].trim();
  if (value === "SHELL_NAMESPACES") return [...SHELL_NAMESPACES];
  if (!value.startsWith("[")) throw new Error(`${relative(ROOT, layout)}: namespaces must be a literal list or SHELL_NAMESPACES.`);
  return [...value.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

/** The nearest provider above a file of the app folder: a layout wraps its own segment's files, not itself. */
function providerFor(file: string): { layout: string | null; namespaces: string[] } {
  // Nothing wraps the root layout: its own elements get no translations in the browser.
  if (file === join(APP, "layout.tsx")) return { layout: null, namespaces: [] };
  let dir = file.endsWith("layout.tsx") ? dirname(dirname(file)) : dirname(file);
  while (dir.startsWith(APP)) {
    const layout = join(dir, "layout.tsx");
    const namespaces = existsSync(layout) ? providedByLayout(layout) : null;
    if (namespaces) return { layout, namespaces };
    dir = dirname(dir);
  }
  throw new Error(`No translations provider above ${relative(ROOT, file)}.`);
}

const entries = files(APP).filter((path) => SPECIAL_FILES.some((name) => path.endsWith(`/${name}`)));

describe("translations sent to the browser", () => {
  it("give every page, layout and boundary the namespaces its client components use", () => {
    const missing: string[] = [];
    for (const entry of entries) {
      const { namespaces } = providerFor(entry);
      const lacking = [...neededBy(entry)].filter((namespace) => !namespaces.includes(namespace));
      if (lacking.length) missing.push(`${relative(ROOT, entry)}: ${lacking.sort().join(", ")}`);
    }
    expect(missing).toEqual([]);
  });

  it("send no namespace that none of the provider's pages uses", () => {
    const unused: string[] = [];
    for (const layout of entries.filter((path) => path.endsWith("/layout.tsx"))) {
      const provided = providedByLayout(layout);
      if (!provided) continue;
      const below = entries.filter((entry) => entry !== layout && providerFor(entry).layout === layout);
      const used = new Set(below.flatMap((entry) => [...neededBy(entry)]));
      for (const namespace of provided) if (!used.has(namespace)) unused.push(`${relative(ROOT, layout)}: ${namespace}`);
    }
    expect(unused).toEqual([]);
  });

  it("provide only namespaces of the client catalogue, the root layout only the shell's", () => {
    const root = providedByLayout(join(APP, "layout.tsx"));
    expect(root).toEqual(["boundary", "header", "language"]);
    for (const layout of entries.filter((path) => path.endsWith("/layout.tsx"))) {
      for (const namespace of providedByLayout(layout) ?? []) expect(CLIENT_NAMESPACES).toContain(namespace);
    }
  });

  it("follows imports into client components", () => {
    // The ledger page renders the digest check form, a client component translating with "ledger";
    // the header's sign-out button and language switcher translate with "header" and "language".
    expect([...neededBy(join(APP, "(portal)/r/[slug]/ledger/page.tsx"))]).toEqual(["ledger"]);
    expect([...neededBy(join(APP, "(portal)/layout.tsx"))].sort()).toEqual(["header", "language"]);
    expect(providerFor(join(APP, "(portal)/r/[slug]/activity/page.tsx")).layout).toBe(join(APP, "layout.tsx"));
  });
});
