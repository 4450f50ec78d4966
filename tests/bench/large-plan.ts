import { pathToFileURL } from "node:url";
import { rebuildBurnDown } from "../../lib/audit/burn-down";
import { HASH_VERSION_KEYED, keyedEventHash } from "../../lib/audit/hash";
import { ledgerKeyring } from "../../lib/audit/keys";
import { canonicalJson, type AuditInput } from "../../lib/audit/record";
import type { Prisma } from "../../lib/generated/prisma/client";
import { openDatabase } from "../../lib/db/adapters";
import { prismaClientFor, type Db } from "../../lib/db/client";
import { resolveDbTarget } from "../../lib/db/target";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../lib/domain/demo";
import { ALL_ROLES, PLAN_ROLES, ROLE_SLUGS } from "../../lib/domain/roles";
import type { DecisionValue, ItemState, PhaseStatus, Role, SignOffKind, SignOffStatus } from "../../lib/generated/prisma/enums";
import { hashPassword } from "../../lib/auth/password";

// A large rollout to measure on (issue 11): 5,000 checklist items over 12 phases, 300
// sign-offs with decisions, 150 members who can sign in with the demo password, 40 reading
// entries per role and 50,000 ledger events on one valid hash chain. Seeded and deterministic: the same seed and anchor give
// the same rows and the same ids (only the ledger's timestamps are the time of writing).
//
//   npx tsx tests/bench/large-plan.ts [--seed N] [--slug S] [--events N]
//
// adds the plan to the database the app is configured for (DATABASE_URL, or the PGlite
// folder), next to whatever is there; the benchmark runs it after resetting its own database.

export const LARGE_PLAN_SLUG = "large-plan";
export const LARGE_PLAN_DEFAULTS = {
  seed: 20261130,
  items: 5000,
  phases: 12,
  signOffs: 300,
  members: 150,
  readingPerRole: 40,
  events: 50_000,
};

export type LargePlanOptions = Partial<typeof LARGE_PLAN_DEFAULTS> & {
  slug?: string;
  /** The plan's "today"; the time of writing when omitted. */
  anchor?: Date;
  /** A hash of the demo password; read from a demo account, or computed, when omitted. */
  passwordHash?: string;
  /** Ledger events appended per transaction. */
  eventsPerTransaction?: number;
  log?: (line: string) => void;
};

export type LargePlanResult = {
  rolloutId: string;
  slug: string;
  /** The first member holding each role (the benchmark signs in as them). */
  accountFor: Record<Role, string>;
  counts: { items: number; phases: number; signOffs: number; decisions: number; members: number; readingEntries: number; events: number };
};

/** mulberry32: a small seeded PRNG (32-bit state), enough to spread rows around deterministically. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const CHUNK = 500;
const FIRST = ["Ana", "Bruno", "Carla", "Diego", "Elisa", "Fábio", "Gabriela", "Heitor", "Isabela", "João", "Karina", "Lucas", "Marina", "Nuno", "Olívia", "Paulo", "Renata", "Sérgio", "Tânia", "Vítor"];
const LAST = ["Almeida", "Barbosa", "Costa", "Dias", "Esteves", "Ferreira", "Gomes", "Lima", "Martins", "Nunes", "Oliveira", "Pereira", "Rocha", "Santos", "Teixeira", "Vieira"];
const VERBS = ["Review", "Configure", "Validate", "Document", "Deploy", "Test", "Approve", "Migrate", "Monitor", "Train", "Audit", "Tune"];
const NOUNS = ["replica set", "Kafka topic", "alert rule", "runbook", "Grafana board", "access policy", "backup job", "CDC pipeline", "staging cluster", "budget line", "on-call rota", "TLS certificate"];
const KINDS: SignOffKind[] = ["PRODUCTION_DEPLOYMENT", "DEPLOYMENT_DATE", "BUDGET", "SECURITY_POLICY", "ACCESS_CONTROL", "COMPLIANCE"];

/** As recordAudit stores before/after: canonical JSON, absent when null. */
function asJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(canonicalJson(value)) as Prisma.InputJsonValue;
}

async function chunked<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

async function demoHash(db: Db): Promise<string> {
  const demo = await db.user.findUnique({ where: { email: DEMO_ACCOUNTS[0].email }, select: { passwordHash: true } });
  return demo?.passwordHash ?? (await hashPassword(DEMO_PASSWORD));
}

export function largePlanEmail(role: Role, n: number): string {
  return `large-${ROLE_SLUGS[role]}-${n}@greenlight.demo`;
}

/** Writes the large plan; refuses when a rollout with its slug is already there. */
export async function seedLargePlan(db: Db, options: LargePlanOptions = {}): Promise<LargePlanResult> {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const o = { ...LARGE_PLAN_DEFAULTS, ...given } as typeof LARGE_PLAN_DEFAULTS;
  const slug = options.slug ?? LARGE_PLAN_SLUG;
  const log = options.log ?? (() => {});
  const perTx = options.eventsPerTransaction ?? 2000;
  const anchor = options.anchor ?? new Date();
  const at = (days: number) => new Date(anchor.getTime() + days * DAY);
  const random = mulberry32(o.seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const id = (kind: string, n: number) => `${slug}-${kind}-${String(n).padStart(5, "0")}`;

  if (await db.rollout.findUnique({ where: { slug }, select: { id: true } })) {
    throw new Error(`A rollout "${slug}" is already there; reset the database first.`);
  }
  const passwordHash = options.passwordHash ?? (await demoHash(db));
  const rolloutId = id("rollout", 0);
  await db.rollout.create({
    data: { id: rolloutId, slug, name: "Large plan (benchmark)", description: "Generated: 5,000 items over 12 phases", anchorDate: new Date(anchor.toISOString().slice(0, 10)) },
  });

  // Members: 150 accounts, the roles dealt round-robin (15 per role).
  const members = Array.from({ length: o.members }, (_, i) => {
    const role = ALL_ROLES[i % ALL_ROLES.length];
    const n = Math.floor(i / ALL_ROLES.length) + 1;
    return { id: id("user", i), email: largePlanEmail(role, n), name: `${pick(FIRST)} ${pick(LAST)}`, role };
  });
  await chunked(members, (chunk) => db.user.createMany({ data: chunk.map(({ id, email, name }) => ({ id, email, name, passwordHash })) }));
  await chunked(members, (chunk) => db.rolloutMember.createMany({ data: chunk.map((m) => ({ id: `${m.id}-m`, rolloutId, userId: m.id, role: m.role })) }));
  const byRole = new Map<Role, string[]>();
  for (const m of members) byRole.set(m.role, [...(byRole.get(m.role) ?? []), m.id]);
  const accountFor = Object.fromEntries(ALL_ROLES.map((role) => [role, largePlanEmail(role, 1)])) as Record<Role, string>;
  log(`members: ${members.length}`);

  // Phases: a quarter done, one in progress, the rest ahead; two weeks each from 8 weeks ago.
  const current = Math.floor(o.phases / 3);
  const phases = Array.from({ length: o.phases }, (_, i) => {
    const status: PhaseStatus = i < current ? "DONE" : i === current ? "IN_PROGRESS" : "NOT_STARTED";
    const start = -56 + i * 14;
    return {
      id: id("phase", i),
      rolloutId,
      position: i + 1,
      name: `${pick(VERBS)} the ${pick(NOUNS)}`,
      goal: `Everything ${pick(NOUNS)}-related ready for phase ${i + 2}.`,
      window: `Weeks ${2 * i + 1}-${2 * i + 2}`,
      plannedStart: at(start),
      plannedEnd: at(start + 13),
      actualStart: status === "NOT_STARTED" ? null : at(start),
      actualEnd: status === "DONE" ? at(start + 13) : null,
      status,
      optional: i === o.phases - 1,
    };
  });
  await db.phase.createMany({ data: phases });

  // Sign-offs: one gate per phase, then the rest spread over kinds and phases; those of
  // finished phases decided, a share of the others too.
  const signOffs = Array.from({ length: o.signOffs }, (_, i) => {
    const gate = i < o.phases;
    const phase = gate ? i : int(o.phases);
    const requiredRoles = gate ? ["EXECUTIVE" as Role] : [...new Set([pick(PLAN_ROLES), pick(PLAN_ROLES)])];
    const decided = phase < current || (phase === current && random() < 0.5) || random() < 0.2;
    const status: SignOffStatus = !decided ? "PENDING" : random() < 0.9 ? "APPROVED" : "REJECTED";
    const kind: SignOffKind = gate ? "PHASE_GATE" : i === o.phases ? "GO_NO_GO" : pick(KINDS);
    return {
      id: id("signoff", i),
      rolloutId,
      phaseId: phases[phase].id,
      kind,
      position: i,
      title: `${gate ? "Gate" : "Decision"} ${i + 1}: ${pick(VERBS).toLowerCase()} ${pick(NOUNS)}`,
      requiredRoles,
      approvalsNeeded: 1 + int(2),
      amountCents: kind === "BUDGET" ? BigInt(100_000 + int(10_000_000)) : null,
      currency: kind === "BUDGET" ? "BRL" : null,
      status,
      dueAt: at(-56 + phase * 14 + 13),
    };
  });
  await chunked(signOffs, (chunk) => db.signOff.createMany({ data: chunk }));
  const decisions: { id: string; signOffId: string; userId: string; role: Role; value: DecisionValue; comment: string | null; decidedAt: Date }[] = [];
  for (const s of signOffs) {
    if (s.status === "PENDING") continue;
    const deciders = new Set<string>();
    for (let k = 0; k < s.approvalsNeeded; k++) {
      const role = pick(s.requiredRoles);
      const userId = pick(byRole.get(role)!);
      if (deciders.has(userId)) continue;
      deciders.add(userId);
      const value: DecisionValue = s.status === "REJECTED" && k === 0 ? "REJECT" : "APPROVE";
      decisions.push({ id: id("decision", decisions.length), signOffId: s.id, userId, role, value, comment: random() < 0.5 ? `Checked ${pick(NOUNS)}.` : null, decidedAt: at(-int(50)) });
    }
  }
  await chunked(decisions, (chunk) => db.signOffDecision.createMany({ data: chunk }));
  log(`phases: ${phases.length}, sign-offs: ${signOffs.length}, decisions: ${decisions.length}`);

  // Items: 100 on the "this week" list, 100 for the next 24 hours, the rest in the phases.
  const special = Math.min(100, Math.floor(o.items / 25));
  const items = Array.from({ length: o.items }, (_, i) => {
    const list = i < special ? "IMMEDIATE" : i < 2 * special ? "NEXT_24H" : "PHASE";
    const phase = list === "PHASE" ? (i - 2 * special) % o.phases : null;
    const ownerRole = pick(PLAN_ROLES);
    const doneShare = phase === null ? 0.3 : phase < current ? 0.97 : phase === current ? 0.5 : 0.02;
    const roll = random();
    const state: ItemState = roll < doneShare ? "DONE" : roll < doneShare + 0.02 ? "NOT_APPLICABLE" : "OPEN";
    const changer = state === "OPEN" ? null : pick(byRole.get(ownerRole)!);
    return {
      id: id("item", i),
      rolloutId,
      phaseId: phase === null ? null : phases[phase].id,
      list: list as "IMMEDIATE" | "NEXT_24H" | "PHASE",
      position: list === "PHASE" ? Math.floor((i - 2 * special) / o.phases) : i % special,
      text: `${pick(VERBS)} the ${pick(NOUNS)} #${i + 1}`,
      ownerRole,
      assigneeId: random() < 0.6 ? pick(byRole.get(ownerRole)!) : null,
      dueAt: at(phase === null ? 1 + int(7) : -56 + phase * 14 + int(14)),
      optional: random() < 0.05,
      state,
      stateChangedById: changer,
      stateChangedAt: changer ? at(-int(50)) : null,
      evidence: state === "DONE" && random() < 0.3 ? `Ticket OPS-${1000 + i}` : null,
      notApplicableReason: state === "NOT_APPLICABLE" ? "Not used in this region." : null,
    };
  });
  await chunked(items, (chunk) => db.checklistItem.createMany({ data: chunk }));
  log(`items: ${items.length}`);

  // Reading: 120 documents, 40 entries per role (roleKey is derived by the trigger).
  const documents = Array.from({ length: 120 }, (_, i) => ({
    id: id("doc", i),
    rolloutId,
    key: `doc-${i + 1}`,
    title: `${pick(NOUNS)} guide ${i + 1}`,
    path: `docs/guide-${i + 1}.md`,
    summary: [`How the ${pick(NOUNS)} works.`, `What to ${pick(VERBS).toLowerCase()} before phase ${1 + int(o.phases)}.`],
    body: `# Guide ${i + 1}\n\n${Array.from({ length: 5 }, () => `- ${pick(VERBS)} the ${pick(NOUNS)}.`).join("\n")}\n`,
  }));
  await db.document.createMany({ data: documents });
  const entries = ALL_ROLES.flatMap((role, r) =>
    Array.from({ length: o.readingPerRole }, (_, position) => ({
      id: id("reading", r * o.readingPerRole + position),
      rolloutId,
      role,
      documentId: documents[(r * 7 + position * 3) % documents.length].id,
      position,
      minutes: 5 + int(40),
      sectionHint: random() < 0.3 ? `Section ${1 + int(9)}` : null,
    })),
  );
  await chunked(entries, (chunk) => db.readingListEntry.createMany({ data: chunk }));
  const readStates = entries.flatMap((entry) =>
    byRole.get(entry.role)!.filter(() => random() < 0.3).map((userId) => ({ id: `${entry.id}-${userId.slice(-5)}`, entryId: entry.id, userId, readAt: at(-int(30)) })),
  );
  await chunked(readStates, (chunk) => db.readState.createMany({ data: chunk }));

  // Milestones, criteria and contacts: a plan's worth of each.
  await db.milestone.createMany({
    data: phases.flatMap((p, i) => [
      { id: `${p.id}-ms-a`, rolloutId, phaseId: p.id, key: `m${i + 1}a`, position: 2 * i, label: `${p.name} starts`, startsAt: p.plannedStart, details: [] },
      { id: `${p.id}-ms-b`, rolloutId, phaseId: p.id, key: `m${i + 1}b`, position: 2 * i + 1, label: `${p.name} review`, startsAt: p.plannedEnd, endsAt: at(-56 + i * 14 + 14), details: [`Review ${pick(NOUNS)}`] },
    ]),
  });
  const verifiedCriteria: string[] = [];
  for (let g = 0; g < 4; g++) {
    const groupId = id("criteria-group", g);
    await db.criterionGroup.create({ data: { id: groupId, rolloutId, name: ["Deployment", "Monitoring", "Operations", "Security"][g], position: g } });
    await db.successCriterion.createMany({
      data: Array.from({ length: 15 }, (_, position) => {
        const verified = random() < 0.4;
        if (verified) verifiedCriteria.push(id(`criterion-${g}`, position));
        return { id: id(`criterion-${g}`, position), rolloutId, groupId, position, text: `${pick(NOUNS)} ${pick(VERBS).toLowerCase()}ed`, verifiedById: verified ? pick(members).id : null, verifiedAt: verified ? at(-int(30)) : null };
      }),
    });
  }
  await db.contact.createMany({
    data: Array.from({ length: 30 }, (_, position) => ({ id: id("contact", position), rolloutId, position, topic: `${pick(NOUNS)} questions`, role: pick(PLAN_ROLES) })),
  });
  log(`documents: ${documents.length}, reading entries: ${entries.length}, read marks: ${readStates.length}`);

  // The ledger: the rollout's opening event eight weeks ago, then item state changes (most),
  // decisions, reading marks and plan edits, chained with the recorder's own keyed hash
  // (keyedEventHash over canonical JSON, as recordAudit stores it; `npm run ledger:verify`
  // checks the result), under the same advisory lock, and written with createMany a
  // batch at a time: 50,000 events one recordAudit each (three statements apiece) take a
  // quarter of an hour on a busy machine, a batch takes four statements.
  const key = ledgerKeyring().current;
  const pendingDecisions = [...decisions];
  // Spread over the plan's eight weeks of history, oldest first, ending now.
  const historyStart = anchor.getTime() - 56 * DAY;
  const step = (anchor.getTime() - historyStart) / o.events;
  const eventAt = (n: number) => new Date(Math.floor(historyStart + n * step));
  const nextEvent = (n: number): AuditInput & { at: Date } => {
    // The first event opens the history eight weeks ago: the executive's burn-down counts from it.
    if (n === 0) return { rolloutId, actorId: null, action: "rollout.seeded", targetType: "Rollout", targetId: rolloutId, after: { slug, generated: true, seed: o.seed }, at: eventAt(0) };
    const remaining = o.events - n;
    const at = eventAt(n);
    if (pendingDecisions.length && random() < pendingDecisions.length / remaining) {
      const d = pendingDecisions.shift()!;
      return {
        rolloutId,
        actorId: d.userId,
        action: d.value === "APPROVE" ? "signoff.approved" : "signoff.rejected",
        targetType: "SignOff",
        targetId: d.signOffId,
        before: { status: "PENDING" },
        after: { status: d.value === "APPROVE" ? "APPROVED" : "REJECTED", role: d.role, value: d.value, comment: d.comment },
        at,
      };
    }
    const roll = random();
    if (roll < 0.9) {
      const from = pick(["OPEN", "DONE"] as const);
      return {
        rolloutId,
        actorId: pick(members).id,
        action: "item.state.changed",
        targetType: "ChecklistItem",
        targetId: pick(items).id,
        before: { state: from, evidence: null, notApplicableReason: null },
        after: { state: from === "OPEN" ? "DONE" : "OPEN", evidence: null, notApplicableReason: null },
        at,
      };
    }
    if (roll < 0.96) {
      return { rolloutId, actorId: pick(members).id, action: "item.details.changed", targetType: "ChecklistItem", targetId: pick(items).id, before: { assigneeId: null }, after: { assigneeId: pick(members).id }, at };
    }
    const entry = pick(entries);
    return { rolloutId, actorId: pick(byRole.get(entry.role)!), action: "reading.marked", targetType: "ReadingListEntry", targetId: entry.id, at };
  };
  const events = Array.from({ length: o.events }, (_, n) => nextEvent(n));
  agreeWithRows(events, { phases, signOffs, items, verifiedCriteria });
  let written = 0;
  while (written < o.events) {
    const batch = Math.min(perTx, o.events - written);
    const inputs = events.slice(written, written + batch);
    await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`audit:${rolloutId}`}))`;
        const last = await tx.auditEvent.findFirst({ where: { rolloutId }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
        let seq = last?.seq ?? 0;
        let prevHash = last?.hash ?? null;
        const rows = inputs.map((input) => {
          seq++;
          const before = asJson(input.before);
          const after = asJson(input.after);
          const hash = keyedEventHash(key, prevHash, { ...input, before: before ?? null, after: after ?? null, seq });
          const row = { rolloutId, actorId: input.actorId, action: input.action, targetType: input.targetType, targetId: input.targetId ?? null, before, after, seq, at: input.at, prevHash, hash, hashVersion: HASH_VERSION_KEYED, keyId: key.id };
          prevHash = hash;
          return row;
        });
        await tx.auditEvent.createMany({ data: rows });
      },
      { timeout: 120_000, maxWait: 60_000 },
    );
    written += batch;
    if (written % 10_000 < perTx) log(`ledger: ${written} events`);
  }
  // The events were written without `recordAudit`, which keeps the burn-down's daily
  // projection: build it from them, as the migration did for the events before it.
  await rebuildBurnDown(db, rolloutId);
  // The planner's statistics, as autovacuum would gather them a little later: measured right
  // after the bulk write, the planner still takes the tables for nearly empty (it estimated a
  // rollout's 5,000 items at 14 rows) and picks plans that do not fit them.
  await db.$executeRawUnsafe("ANALYZE");

  return {
    rolloutId,
    slug,
    accountFor,
    counts: { items: items.length, phases: phases.length, signOffs: signOffs.length, decisions: decisions.length, members: members.length, readingEntries: entries.length, events: written },
  };
}

async function main(argv: string[]) {
  const option = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const number = (name: string) => {
    const raw = option(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number (got "${raw}").`);
    return value;
  };
  const database = await openDatabase(resolveDbTarget());
  const db = prismaClientFor(database.factory);
  const started = Date.now();
  try {
    const result = await seedLargePlan(db, {
      slug: option("--slug"),
      seed: number("--seed"),
      events: number("--events"),
      log: (line) => console.log(`  ${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s  ${line}`),
    });
    console.log(`Large plan "${result.slug}" written in ${Math.round((Date.now() - started) / 1000)} s: ${JSON.stringify(result.counts)}`);
  } finally {
    await db.$disconnect();
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

type Row<S extends string> = { id: string; status: S };

/**
 * Makes the generated history say what the rows hold, so that `npm run ledger:verify`
 * (which replays every event against the state tables) passes on the large plan: walking
 * back from the newest event, each item state change ends in the state its item holds
 * after it, and each decision leaves its sign-off as it stands after it; the opening event
 * (events[0]) then declares what every row held before its first event (`initialStates`,
 * as a rollout's creation event does).
 */
function agreeWithRows(
  events: (AuditInput & { at: Date })[],
  rows: { phases: Row<PhaseStatus>[]; signOffs: Row<SignOffStatus>[]; items: { id: string; state: ItemState }[]; verifiedCriteria: string[] },
) {
  const itemState = new Map(rows.items.map((i) => [i.id, i.state]));
  const signOffStatus = new Map<string, SignOffStatus>(rows.signOffs.map((s) => [s.id, s.status]));
  for (let n = events.length - 1; n > 0; n--) {
    const event = events[n];
    if (!event.targetId) continue;
    if (event.action === "item.state.changed") {
      const after = itemState.get(event.targetId)!;
      const before: ItemState = after === "OPEN" ? "DONE" : "OPEN";
      event.before = { state: before, evidence: null, notApplicableReason: null };
      event.after = { state: after, evidence: null, notApplicableReason: after === "NOT_APPLICABLE" ? "Not needed in this environment" : null };
      itemState.set(event.targetId, before);
    } else if (event.action === "signoff.approved" || event.action === "signoff.rejected") {
      event.after = { ...(event.after as object), status: signOffStatus.get(event.targetId)! };
      signOffStatus.set(event.targetId, "PENDING");
    }
  }
  const declared = <T>(entries: [string, T][]) => Object.fromEntries(entries);
  events[0].after = {
    ...(events[0].after as object),
    initialStates: {
      Phase: declared(rows.phases.map((p) => [p.id, { status: p.status }])),
      SignOff: declared([...signOffStatus].filter(([, status]) => status !== "PENDING").map(([id, status]) => [id, { status }])),
      ChecklistItem: declared([...itemState].filter(([, state]) => state !== "OPEN").map(([id, state]) => [id, { state }])),
      SuccessCriterion: declared(rows.verifiedCriteria.map((id) => [id, { verified: true }])),
    },
  };
}
