import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { looksMojibaked } from "@/lib/import/mojibake";
import { DEMO_ACCOUNTS, SAMPLE_ROLLOUT_SLUG, seedSampleRollout } from "@/prisma/seed";
import { createTestDb, type TestDb } from "./helpers/test-db";

const DAY = 86_400_000;
const anchor = new Date("2027-03-01T09:30:00Z");
let t: TestDb;
let rolloutId: string;

beforeAll(async () => {
  t = await createTestDb();
  const rollout = await seedSampleRollout(t.db, { anchor, passwordHash: "not-a-real-hash" });
  rolloutId = rollout.id;
});
afterAll(async () => t?.close());

describe("the sample rollout", () => {
  it("has the plan's four phases in order, with only Phase 3 optional", async () => {
    const phases = await t.db.phase.findMany({ where: { rolloutId }, orderBy: { position: "asc" } });
    expect(phases.map((p) => [p.position, p.name, p.optional])).toEqual([
      [1, "Production Deployment", false],
      [2, "Team Training & Operations", false],
      [3, "Replica & Optional Multi-cluster Phase", true],
      [4, "Monitoring", false],
    ]);
  });

  it("has every checklist item: 5, 5, 5 and 7 per phase, 5 immediate, 4 × 4 for the next 24 hours", async () => {
    const phases = await t.db.phase.findMany({ where: { rolloutId }, orderBy: { position: "asc" }, include: { _count: { select: { items: true } } } });
    expect(phases.map((p) => p._count.items)).toEqual([5, 5, 5, 7]);
    expect(await t.db.checklistItem.count({ where: { rolloutId, list: "IMMEDIATE" } })).toBe(5);
    const nextDay = await t.db.checklistItem.groupBy({ by: ["ownerRole"], where: { rolloutId, list: "NEXT_24H" }, _count: { _all: true } });
    expect(Object.fromEntries(nextDay.map((g) => [g.ownerRole, g._count._all]))).toEqual({
      DEV_LEAD: 4,
      OPS_MANAGER: 4,
      EXECUTIVE: 4,
      SECURITY_OFFICER: 4,
    });
    const item = await t.db.checklistItem.findFirstOrThrow({ where: { rolloutId, text: "Production deployment executed" } });
    expect(item.ownerRole).toBe("DEVOPS");
  });

  it("has the sign-offs the plan implies, including 23 security policies pointing at section 18.6", async () => {
    const kinds = await t.db.signOff.groupBy({ by: ["kind"], where: { rolloutId }, _count: { _all: true } });
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k._count._all]))).toEqual({
      PHASE_GATE: 4,
      PRODUCTION_DEPLOYMENT: 1,
      DEPLOYMENT_DATE: 1,
      BUDGET: 1,
      SECURITY_POLICY: 23,
      ACCESS_CONTROL: 1,
      COMPLIANCE: 1,
      GO_NO_GO: 1,
    });
    const policies = await t.db.signOff.findMany({ where: { rolloutId, kind: "SECURITY_POLICY" } });
    expect(policies.every((p) => p.reference === "docs/Projeto.md, section 18.6" && p.requiredRoles.join() === "SECURITY_OFFICER")).toBe(true);
    const budget = await t.db.signOff.findFirstOrThrow({ where: { rolloutId, kind: "BUDGET" } });
    expect(budget).toMatchObject({ amountCents: BigInt(15_000_000), currency: "USD", requiredRoles: ["EXECUTIVE", "FINANCE"], everyRole: true });
    expect(await t.db.signOff.count({ where: { rolloutId, status: { not: "PENDING" } } })).toBe(0);
  });

  it("has each role's reading list in the plan's order, with minutes and section hints", async () => {
    const entries = await t.db.readingListEntry.findMany({
      where: { rolloutId },
      orderBy: [{ role: "asc" }, { position: "asc" }],
      include: { document: { select: { path: true } } },
    });
    expect(entries).toHaveLength(15);
    const byRole = (role: string) => entries.filter((e) => e.role === role).map((e) => [e.document.path, e.minutes, e.sectionHint]);
    expect(byRole("EXECUTIVE")).toEqual([
      ["EXECUTIVE_SUMMARY.md", 20, null],
      ["../30-iterations/results/PROJETO_COMPLETO_90_PORCENTO.md", 10, null],
      ["docs/Projeto.md", 30, "Sections 1-5"],
    ]);
    expect(byRole("DBA").map(([, minutes]) => minutes)).toEqual([30, 20, 20]);
    expect(byRole("DBA")[2]).toEqual(["MONITORING_SETUP_GUIDE.md", 20, "Sections CDC"]);
  });

  it("has the success criteria, contacts, documents and demo accounts", async () => {
    const groups = await t.db.criterionGroup.findMany({ where: { rolloutId }, orderBy: { position: "asc" }, include: { _count: { select: { criteria: true } } } });
    expect(groups.map((g) => [g.name, g._count.criteria])).toEqual([
      ["Deployment Success", 5],
      ["Monitoring Success", 5],
      ["Operations Success", 5],
    ]);
    const contacts = await t.db.contact.findMany({ where: { rolloutId }, orderBy: { position: "asc" } });
    expect(contacts.map((c) => [c.topic, c.role])).toContainEqual(["Data", "DATA_ENGINEER"]);
    expect(contacts).toHaveLength(7);
    expect(await t.db.document.count({ where: { rolloutId } })).toBe(17);
    expect(await t.db.user.count()).toBe(DEMO_ACCOUNTS.length);
    const roles = await t.db.rolloutMember.findMany({ where: { rolloutId }, select: { role: true } });
    expect(new Set(roles.map((r) => r.role)).size).toBe(10);
  });

  it("re-anchors the plan's dates to the seed's today", async () => {
    const milestones = await t.db.milestone.findMany({ where: { rolloutId }, orderBy: { position: "asc" } });
    expect(milestones.map((m) => m.label)).toEqual(["HOJE (7 de dezembro)", "WEEK 1 (8-14 dezembro)", "WEEK 2-3", "WEEK 4+", "Q1 2026", "Fevereiro+"]);
    expect(milestones[0].startsAt.getTime()).toBe(anchor.getTime());
    expect(milestones[1].startsAt.getTime()).toBe(anchor.getTime() + DAY);
    expect(milestones[1].endsAt!.getTime()).toBe(anchor.getTime() + 7 * DAY);
    const phase1 = await t.db.phase.findFirstOrThrow({ where: { rolloutId, position: 1 } });
    expect(phase1.plannedStart!.getTime()).toBe(anchor.getTime() + DAY);
    expect(phase1.status).toBe("IN_PROGRESS");
    const dueSoon = await t.db.checklistItem.count({ where: { rolloutId, dueAt: { lte: new Date(anchor.getTime() + DAY) } } });
    expect(dueSoon).toBe(16);
    const rollout = await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    expect(rollout.slug).toBe(SAMPLE_ROLLOUT_SLUG);
  });

  it("leaves no mojibake in any text column of any table", async () => {
    const columns = await t.db.$queryRaw<{ table_name: string; column_name: string; data_type: string }[]>`
      SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'ARRAY', 'jsonb') AND table_name <> '_prisma_migrations'`;
    const texts: string[] = [];
    for (const { table_name, column_name, data_type } of columns) {
      const cast = data_type === "text" ? `"${column_name}"` : `"${column_name}"::text`;
      const rows = await t.db.$queryRawUnsafe<{ v: string | null }[]>(`SELECT ${cast} AS v FROM "${table_name}"`);
      texts.push(...rows.map((r) => r.v).filter((v): v is string => v !== null));
    }
    expect(texts.length).toBeGreaterThan(200);
    const broken = texts.filter((text) => looksMojibaked(text) || /Ã[§£©³¡ª‰‡ƒ“]|ğŸ|â”|â•|âœ|â³|\uFFFD/.test(text));
    expect(broken).toEqual([]);
    expect(texts).toContain("Replica planning begins (opcional)");
    expect(texts.some((text) => text.includes("Iteração 5 concluída"))).toBe(true);
  });

  it("records the load in the audit trail", async () => {
    const events = await t.db.auditEvent.findMany({ where: { rolloutId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "rollout.seeded", seq: 1, prevHash: null });
    expect(events[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
