import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPlan } from "@/lib/import/plan-parser";

// Nothing generic may depend on the sample plan's shape (issue 9, part 5). The sample's
// own words — its item texts, phase names, document names — and the tools it names must not
// appear in lib/, app/ or components/, and no code may filter items by their wording.
// Left out: the translations, the generated client, and lib/import/ (the importer's
// recognition of the sample's own template, which the seed uses).

const ROOT = join(__dirname, "..", "..");
const SCANNED = ["lib", "app", "components"];
const EXCLUDED = [/^lib\/i18n\/messages\//, /^lib\/generated\//, /^lib\/import\//];

// Tool and product names the sample plan talks about.
const TOOL_NAMES = ["Kafka", "Grafana", "Superset", "RLAC", "Prometheus", "CDC", "Debezium", "ClickHouse", "Airflow", "Metabase", "PostgreSQL replica", "pg_stat", "exporter"];

// Short or generic words (a phase called "Deployment") would match ordinary code; the
// sample's phrases are what matters, so only texts of at least this length are looked for.
const MIN_PHRASE = 12;

function sampleWords(): { phrase: string; what: string }[] {
  const raw = readFileSync(join(ROOT, "prisma", "fixtures", "PROXIMOS_PASSOS_CHECKLIST.md"), "utf8");
  const { plan } = loadPlan(raw);
  const out: { phrase: string; what: string }[] = [];
  const add = (phrase: string, what: string) => {
    const p = phrase.trim();
    if (p.length >= MIN_PHRASE) out.push({ phrase: p, what });
  };
  for (const phase of plan.phases) {
    add(phase.name, "phase name");
    add(phase.checklistName, "phase name");
    for (const item of phase.items) add(item.text, "item text");
  }
  for (const item of plan.immediate) add(item.text, "item text");
  for (const group of plan.nextDay) for (const text of group.items) add(text, "item text");
  for (const doc of plan.documents) {
    add(doc.title, "document name");
    add(doc.path, "document name");
  }
  for (const group of plan.successCriteria) for (const text of group.items) add(text, "criterion text");
  return out;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

function scannedFiles(): { file: string; lines: string[] }[] {
  return SCANNED.flatMap((dir) => filesUnder(join(ROOT, dir)))
    .map((path) => relative(ROOT, path).split("\\").join("/"))
    .filter((file) => !EXCLUDED.some((pattern) => pattern.test(file)))
    .filter((file) => /\.(ts|tsx|js|mjs|css|json|md)$/.test(file))
    .map((file) => ({ file, lines: readFileSync(join(ROOT, file), "utf8").split("\n") }));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// A filter on an item's (or a sign-off's) wording: a regex tested against its text, or
// includes/match/startsWith/… on it, or a set of titles looked up by an item's text.
const WORDING_FILTERS = [
  /\/[^/\n]+\/[a-z]*\.test\(\s*[\w.]*\.(text|title)\b/,
  /\.(text|title)(\.toLowerCase\(\)|\.toUpperCase\(\)|\.trim\(\))*\.(includes|match|search|startsWith|endsWith)\(/,
  /\.has\(\s*[\w.]*\.(text|title)(\.toLowerCase\(\))?\s*\)/,
  /\.(text|title)(\.toLowerCase\(\))?\s*===?\s*["'`]/,
];

type Hit = string;

export function findSampleWords(files: { file: string; lines: string[] }[], words: { phrase: string; what: string }[]): Hit[] {
  // One report per phrase and line, even when the sample uses it twice (a phase and a document).
  const unique = [...new Map(words.map((w) => [w.phrase.toLowerCase(), w])).values()];
  const phrasePatterns = unique.map((w) => ({ ...w, re: new RegExp(escape(w.phrase), "i") }));
  const toolPatterns = TOOL_NAMES.map((name) => ({ name, re: new RegExp(`\\b${escape(name)}\\b`, "i") }));
  const hits: Hit[] = [];
  for (const { file, lines } of files) {
    lines.forEach((line, index) => {
      const where = `${file}:${index + 1}`;
      for (const p of phrasePatterns) if (p.re.test(line)) hits.push(`${where}: the sample's ${p.what} "${p.phrase}"`);
      for (const t of toolPatterns) if (t.re.test(line)) hits.push(`${where}: the tool name "${t.name}"`);
      for (const f of WORDING_FILTERS) if (f.test(line)) hits.push(`${where}: a filter on item wording: ${line.trim()}`);
    });
  }
  return hits;
}

describe("no generic code knows the sample plan", () => {
  const words = sampleWords();

  it("reads the sample's own words through the project's repair and parser", () => {
    // The sample has dozens of items, five phases and a dozen documents: if the parser found
    // none, the scan below would pass for nothing.
    expect(words.filter((w) => w.what === "item text").length).toBeGreaterThan(40);
    expect(words.filter((w) => w.what === "document name").length).toBeGreaterThan(10);
    expect(words.some((w) => w.phrase === "Approve production deployment")).toBe(true);
  });

  it("catches what it looks for (checked on made-up files)", () => {
    const planted = [
      { file: "lib/planted.ts", lines: ["const a = 1;", "if (/on-call|training/i.test(i.text)) keep(i);", 'const kafka = "Kafka lag";'] },
      { file: "app/planted.tsx", lines: ["items.filter((i) => !titles.has(i.text.toLowerCase()))", "label: 'Approve production deployment'", "i.text.includes(\"x\")"] },
    ];
    expect(findSampleWords(planted, words)).toEqual([
      'lib/planted.ts:2: a filter on item wording: if (/on-call|training/i.test(i.text)) keep(i);',
      'lib/planted.ts:3: the tool name "Kafka"',
      "app/planted.tsx:1: a filter on item wording: items.filter((i) => !titles.has(i.text.toLowerCase()))",
      'app/planted.tsx:2: the sample\'s document name "Production Deployment"',
      'app/planted.tsx:2: the sample\'s item text "Approve production deployment"',
      'app/planted.tsx:3: a filter on item wording: i.text.includes("x")',
    ]);
  });

  it("finds none of the sample's item texts, phase names, document names or tool names, and no wording filter, in lib/, app/ and components/", () => {
    const files = scannedFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(findSampleWords(files, words)).toEqual([]);
  });
});
