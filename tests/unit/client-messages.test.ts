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

/** An edge of the import graph: the module, and the names taken from it (null: all of it). */
type Edge = { path: string; names: Set<string> | null };
/** A re-export (`export { a, b as c } from "…"`): followed only for the names asked of it. */
type Reexport = { path: string; names: Map<string, string> | null };
type Module = { client: boolean; namespaces: Set<string>; imports: Edge[]; reexports: Reexport[] };
const modules = new Map<string, Module>();

/** `a, b as c, type D` → pairs [local or exported name, source name]; types are left out. */
function specifiers(list: string): [string, string][] {
  return list
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part && !part.startsWith("type "))
    .map((part) => {
      const [source, alias] = part.split(/\s+as\s+/);
      return [alias ?? source, source];
    });
}

function moduleAt(path: string): Module {
  const known = modules.get(path);
  if (known) return known;
  const source = readFileSync(path, "utf8");
  const namespaces = new Set<string>();
  for (const match of source.matchAll(/useTranslations\(\s*"([a-zA-Z]+)/g)) namespaces.add(match[1]);
  // A translator without a namespace: the keys it is called with name theirs.
  if (/useTranslations\(\s*\)/.test(source)) for (const match of source.matchAll(/\bt\(\s*[`"]([a-zA-Z]+)\./g)) namespaces.add(match[1]);
  const imports: Edge[] = [];
  const reexports: Reexport[] = [];
  const at = (spec: string) => resolveImport(spec, path);
  for (const [, clause, spec] of source.matchAll(/^\s*import\s+(?!type\s)([^;]*?)\s+from\s+"([^"]+)"/gms)) {
    const target = at(spec);
    if (!target) continue;
    const named = clause.match(/\{([^}]*)\}/);
    const names = new Set<string>(named ? specifiers(named[1]).map(([, name]) => name) : []);
    const rest = clause.replace(/\{[^}]*\}/, "").replace(/,/g, " ").trim();
    if (rest.startsWith("*")) imports.push({ path: target, names: null });
    else {
      if (rest) names.add("default");
      if (names.size) imports.push({ path: target, names });
    }
  }
  for (const [, spec] of [...source.matchAll(/^\s*import\s+"([^"]+)"/gm), ...source.matchAll(/import\(\s*"([^"]+)"\s*\)/g)]) {
    const target = at(spec);
    if (target) imports.push({ path: target, names: null });
  }
  for (const [, list, spec] of source.matchAll(/^\s*export\s+(?!type\s)(\*|\{[^}]*\})\s*from\s+"([^"]+)"/gm)) {
    const target = at(spec);
    if (target) reexports.push({ path: target, names: list === "*" ? null : new Map(specifiers(list.slice(1, -1))) });
  }
  const mod = { client: /^\s*["']use client["']/.test(source), namespaces, imports, reexports };
  modules.set(path, mod);
  return mod;
}

/**
 * The namespaces the client components a file renders (directly or through its imports)
 * translate with. A module's own imports are followed whatever is taken from it; its
 * re-exports only for the names taken (a module re-exporting a component does not render it).
 */
function neededBy(entry: string): Set<string> {
  const needed = new Set<string>();
  const seen = new Set<string>();
  const stack: [string, boolean, Set<string> | null][] = [[entry, false, null]];
  while (stack.length) {
    const [path, insideClient, names] = stack.pop()!;
    const key = `${path}|${insideClient}|${names ? [...names].sort().join(",") : "*"}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const mod = moduleAt(path);
    const client = insideClient || mod.client;
    if (client) for (const namespace of mod.namespaces) needed.add(namespace);
    for (const edge of mod.imports) stack.push([edge.path, client, edge.names]);
    for (const reexport of mod.reexports) {
      if (!reexport.names) {
        stack.push([reexport.path, client, names]);
        continue;
      }
      const taken = [...reexport.names].filter(([exported]) => !names || names.has(exported)).map(([, name]) => name);
      if (taken.length) stack.push([reexport.path, client, new Set(taken)]);
    }
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
    expect(root).toEqual(["boundary", "header"]);
    for (const layout of entries.filter((path) => path.endsWith("/layout.tsx"))) {
      for (const namespace of providedByLayout(layout) ?? []) expect(CLIENT_NAMESPACES).toContain(namespace);
    }
  });

  it("follows imports into client components", () => {
    // The ledger page renders the digest check form, a client component translating with "ledger";
    // the header's sign-out button and bell translate with "header" (its language form is a server component).
    expect([...neededBy(join(APP, "(portal)/r/[slug]/ledger/page.tsx"))]).toEqual(["ledger"]);
    expect([...neededBy(join(APP, "(portal)/layout.tsx"))].sort()).toEqual(["header"]);
    expect(providerFor(join(APP, "(portal)/r/[slug]/activity/page.tsx")).layout).toBe(join(APP, "layout.tsx"));
    // An error boundary loads its panel on demand (a dynamic import), which translates with "boundary";
    // lib/i18n/client.tsx re-exports that loader without rendering it, so its users do not need "boundary".
    expect([...neededBy(join(APP, "(portal)/r/[slug]/error.tsx"))]).toEqual(["boundary"]);
    expect(neededBy(join(ROOT, "lib/i18n/client.tsx")).has("boundary")).toBe(true);
  });
});
