import { readFileSync, writeFileSync } from "node:fs";
import { openDatabase } from "../db/adapters";
import { prismaClientFor } from "../db/client";
import { resolveDbTarget } from "../db/target";
import { planToMarkdown, readRolloutAsPlan } from "../export/markdown";
import { importPlanIntoNewRollout } from "../import/apply";
import { DecodeError, decodePlanBytes, type DecodedPlan } from "../import/decode";
import { PlanImportError, readPlan, slugify, type ImportedPlan } from "../import/markdown-plan";

// npm run plan:import -- FILE [--slug SLUG] [--dry-run] [--json]
// npm run plan:export -- SLUG [--out FILE]
// Exit codes: 0 done, 1 refused (the reason on stderr), 2 usage.

const USAGE = `usage: npm run plan:import -- FILE [--slug SLUG] [--dry-run] [--json]
       npm run plan:export -- SLUG [--out FILE]`;

class Refusal extends Error {}
class Usage extends Error {}

type Parsed = { positional: string[]; flags: Set<string>; values: Map<string, string> };

function parseArgs(argv: string[], valued: string[], flags: string[]): Parsed {
  const parsed: Parsed = { positional: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (valued.includes(arg)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith("--")) throw new Usage(`${arg} needs a value`);
      parsed.values.set(arg, value);
    } else if (flags.includes(arg)) parsed.flags.add(arg);
    else if (arg.startsWith("--")) throw new Usage(`unknown option ${arg}`);
    else parsed.positional.push(arg);
  }
  return parsed;
}

/** What `--dry-run --json` prints: what would be created. */
export function dryRunReport(plan: ImportedPlan, decoded: DecodedPlan) {
  const item = (i: { text: string; done: boolean; optional: boolean }) => ({ text: i.text, done: i.done, optional: i.optional });
  return {
    title: plan.title,
    encoding: { detected: decoded.detected, repairedLines: decoded.repairedLines, unsureLines: decoded.unsureLines },
    phases: plan.phases.map((p) => ({ name: p.name, optional: p.optional, items: p.items.map(item) })),
    immediate: plan.immediate.map(item),
    criteria: plan.criteria.flatMap((g) => g.items.map((c) => ({ text: c.text, done: c.done }))),
    roleActions: plan.roleActions.map((r) => ({ role: r.role, items: r.items.map(item) })),
    reading: plan.reading.map((r) => ({ role: r.role, entries: r.entries.map((e) => ({ path: e.path, minutes: e.minutes })) })),
    contacts: plan.contacts.map((c) => ({ topic: c.topic, role: c.role })),
    signOffs: plan.signOffs.map((s) => ({ title: s.title, done: s.done, roles: s.roles })),
    warnings: plan.warnings.map((w) => ({ line: w.line, message: w.message })),
  };
}

function readAndDecode(file: string): { decoded: DecodedPlan; plan: ImportedPlan } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new Refusal(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const decoded = decodePlanBytes(bytes);
    return { decoded, plan: readPlan(decoded.text) };
  } catch (error) {
    if (error instanceof DecodeError || error instanceof PlanImportError) throw new Refusal(error.message);
    throw error;
  }
}

async function withDb<T>(work: (db: ReturnType<typeof prismaClientFor>) => Promise<T>): Promise<T> {
  const database = await openDatabase(resolveDbTarget());
  const db = prismaClientFor(database.factory);
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
    await database.close();
  }
}

async function importCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ["--slug"], ["--dry-run", "--json"]);
  const [file, ...extra] = args.positional;
  if (!file || extra.length > 0) throw new Usage(file ? `unexpected ${extra.join(" ")}` : "FILE is missing");
  const { decoded, plan } = readAndDecode(file);
  const json = args.flags.has("--json");
  if (args.flags.has("--dry-run")) {
    const report = dryRunReport(plan, decoded);
    if (json) console.log(JSON.stringify(report, null, 2));
    else {
      const items = report.phases.reduce((n, p) => n + p.items.length, 0);
      console.log(`${plan.title}: ${report.phases.length} phases, ${items} phase items, ${report.roleActions.length} role action lists, ${report.criteria.length} criteria, ${report.contacts.length} contacts (${decoded.detected}; ${decoded.repairedLines.length} lines repaired, ${decoded.unsureLines.length} unsure)`);
      for (const w of plan.warnings) console.log(`line ${w.line}: ${w.message}`);
    }
    return 0;
  }
  const slug = args.values.get("--slug") ?? slugify(plan.title);
  if (!/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(slug)) throw new Refusal(`"${slug}" is not a valid slug (lower-case letters, digits and dashes)`);
  return withDb(async (db) => {
    if (await db.rollout.findUnique({ where: { slug }, select: { id: true } })) throw new Refusal(`a rollout with the slug "${slug}" already exists; choose another with --slug`);
    const result = await importPlanIntoNewRollout(db, plan, { slug, sha256: decoded.sha256, importerId: null, choices: { encoding: decoded.detected } });
    if (json) console.log(JSON.stringify({ slug: result.slug, counts: result.counts, warnings: plan.warnings.map((w) => ({ line: w.line, message: w.message })) }, null, 2));
    else console.log(`imported "${plan.title}" as ${result.slug}: ${result.counts.phases} phases, ${result.counts.items} items, ${result.counts.signOffs} sign-offs`);
    return 0;
  });
}

async function exportCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ["--out"], []);
  const [slug, ...extra] = args.positional;
  if (!slug || extra.length > 0) throw new Usage(slug ? `unexpected ${extra.join(" ")}` : "SLUG is missing");
  return withDb(async (db) => {
    const rollout = await db.rollout.findUnique({ where: { slug }, select: { id: true } });
    if (!rollout) throw new Refusal(`no rollout has the slug "${slug}"`);
    const markdown = planToMarkdown(await readRolloutAsPlan(db, rollout.id));
    const out = args.values.get("--out");
    if (out) writeFileSync(out, markdown);
    else process.stdout.write(markdown);
    return 0;
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "import") return importCommand(rest);
  if (command === "export") return exportCommand(rest);
  throw new Usage(`unknown command ${command ?? "(none)"}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof Usage) {
      console.error(`${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
