import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { isAppError, type ErrorCode } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { canTick, mayAssign } from "@/lib/view/dashboard";
import { createRollout, createUser, criterionGroupId } from "./helpers/factories";
import { createTestDb, type TestDb } from "./helpers/test-db";

// The role dashboards' data (lib/dal/dashboard.ts) on a hand-made rollout whose answers are
// known from the product's rules: what each role has to do in the next 24 hours (an item
// linked to a sign-off the role decides shows once, as the decision), its checklist, its
// reading list, its sign-offs (pending first), and the executive's, security officer's and
// operations manager's own sections; counts over everything, lists cut at the page's figures.

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const NOW = new Date("2026-06-10T12:00:00Z");
const hours = (h: number) => new Date(NOW.getTime() + h * 3_600_000);

let t: TestDb;
let slug: string;
let rolloutId: string;
const people: Record<string, Actor> = {};
const ids: Record<string, string> = {};

const asActor = (user: { id: string; email: string; name: string }): Actor => ({ id: user.id, email: user.email, name: user.name, locale: null });

async function expectCode(promise: Promise<unknown>, code: ErrorCode) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
}

async function dashboard(who: string, roleSlug: string) {
  const { getRoleDashboard } = await import("@/lib/dal/dashboard");
  return getRoleDashboard(people[who], slug, roleSlug, NOW);
}

beforeAll(async () => {
  t = await createTestDb();
  const rollout = await createRollout(t.db);
  slug = rollout.slug;
  rolloutId = rollout.id;
  const db = t.db;
  const phase = (position: number, name: string, status: "DONE" | "IN_PROGRESS" | "NOT_STARTED", optional = false) =>
    db.phase.create({ data: { rolloutId, position, name, status, optional, plannedEnd: new Date(`2026-0${6 + position}-01T00:00:00Z`) } });
  const p1 = await phase(1, "Prepare", "DONE");
  const p2 = await phase(2, "Migrate", "IN_PROGRESS");
  const p3 = await phase(3, "Polish", "NOT_STARTED", true);
  ids.p2 = p2.id;
  const auditor = await db.rolloutRole.create({ data: { rolloutId, slug: "auditor", name: "Auditor", baseRole: "DBA", position: 0 } });
  ids.auditor = auditor.id;

  for (const [key, roles] of [
    ["dba1", ["DBA"]],
    ["dba2", ["DBA"]],
    ["exec", ["EXECUTIVE"]],
    ["sec", ["SECURITY_OFFICER"]],
    ["ops", ["OPS_MANAGER"]],
  ] as [string, Role[]][]) {
    people[key] = asActor(await createUser(db, { rolloutId, roles }));
  }
  people.aud = asActor(await createUser(db));
  await db.rolloutMember.create({ data: { rolloutId, userId: people.aud.id, role: "DBA", customRoleId: auditor.id } });
  people.outsider = asActor(await createUser(db, { rolloutId: (await createRollout(db)).id, roles: ["EXECUTIVE", "DBA", "ADMIN"] }));

  // Sign-offs, by position.
  const signOff = (position: number, data: { kind?: "PHASE_GATE" | "SECURITY_POLICY" | "ACCESS_CONTROL" | "BUDGET"; requiredRoles: Role[]; status?: "PENDING" | "APPROVED" | "REJECTED"; dueAt?: Date | null; approvalsNeeded?: number; reference?: string; amountCents?: bigint; currency?: string }) =>
    db.signOff.create({
      data: { rolloutId, phaseId: p2.id, position, title: `Sign-off ${position}`, kind: data.kind ?? "PHASE_GATE", requiredForGate: false, requiredRoles: data.requiredRoles, status: data.status ?? "PENDING", dueAt: data.dueAt ?? null, approvalsNeeded: data.approvalsNeeded ?? 1, reference: data.reference ?? null, amountCents: data.amountCents ?? null, currency: data.currency ?? null },
    });
  const s1 = await signOff(1, { requiredRoles: ["DBA"], dueAt: hours(3) });
  const s2 = await signOff(2, { requiredRoles: ["DBA"], dueAt: hours(3), approvalsNeeded: 2 });
  const s3 = await signOff(3, { requiredRoles: ["DBA"], status: "APPROVED" });
  const s4 = await signOff(4, { requiredRoles: ["DBA"], dueAt: hours(24 * 5) });
  const s5 = await signOff(5, { requiredRoles: ["EXECUTIVE"], status: "REJECTED" });
  const s6 = await signOff(6, { kind: "SECURITY_POLICY", requiredRoles: ["SECURITY_OFFICER"], reference: "docs/security.md, section 2" });
  const s7 = await signOff(7, { kind: "SECURITY_POLICY", requiredRoles: ["SECURITY_OFFICER"], status: "APPROVED" });
  const s8 = await signOff(8, { kind: "ACCESS_CONTROL", requiredRoles: ["SECURITY_OFFICER", "DBA"], dueAt: hours(2) });
  await signOff(9, { kind: "BUDGET", requiredRoles: ["FINANCE"], status: "APPROVED", amountCents: BigInt(100_000), currency: "BRL" });
  await signOff(10, { kind: "BUDGET", requiredRoles: ["FINANCE"], amountCents: BigInt(50_000), currency: "BRL" });
  Object.assign(ids, { s1: s1.id, s2: s2.id, s3: s3.id, s4: s4.id, s5: s5.id, s6: s6.id, s7: s7.id, s8: s8.id });
  // dba1 already approved s2 (it needs two approvals, so it still waits — for dba2).
  await db.signOffDecision.create({ data: { signOffId: s2.id, userId: people.dba1.id, role: "DBA", value: "APPROVE" } });

  // Items.
  let position = 0;
  const item = (data: { phaseId?: string | null; list?: "PHASE" | "NEXT_24H"; owner?: Role | null; custom?: string; state?: "OPEN" | "DONE"; dueAt?: Date | null; optional?: boolean; signOffId?: string; text?: string }) =>
    db.checklistItem.create({
      data: {
        rolloutId,
        phaseId: data.phaseId === undefined ? p2.id : data.phaseId,
        list: data.list ?? "PHASE",
        position: position++,
        text: data.text ?? `Item ${position}`,
        ownerRole: data.owner === undefined ? "DBA" : data.owner,
        ownerCustomRoleId: data.custom ?? null,
        state: data.state ?? "OPEN",
        dueAt: data.dueAt ?? null,
        optional: data.optional ?? false,
        signOffId: data.signOffId ?? null,
      },
    });
  // Ten open DBA items of the phase under way, due in two hours (positions 0–9).
  ids.due = "";
  const due: string[] = [];
  for (let i = 0; i < 10; i++) due.push((await item({ dueAt: hours(2), text: `Due ${i}` })).id);
  ids.dueFirst = due[0];
  ids.dueList = due.join(",");
  await item({ phaseId: p1.id, dueAt: hours(2), text: "In a closed phase" });
  const listed = await item({ phaseId: null, list: "NEXT_24H", text: "On the next-24-hours list" });
  await item({ dueAt: hours(2), signOffId: s1.id, text: "Approve sign-off 1" });
  await item({ state: "DONE", text: "Done already" });
  const late = await item({ dueAt: hours(-24), optional: true, text: "Optional and late" });
  ids.listed = listed.id;
  ids.late = late.id;
  // The custom role's own items (its base role's items are not its own).
  await item({ owner: "DBA", custom: auditor.id, dueAt: hours(5), text: "Audit A" });
  await item({ owner: "DBA", custom: auditor.id, dueAt: hours(30), text: "Audit B" });
  // The operations manager: one late required item in the phase under way, one in the next phase.
  const opsLate = await item({ owner: "OPS_MANAGER", dueAt: hours(-48), text: "Ops late" });
  ids.opsLate = opsLate.id;
  await item({ owner: "OPS_MANAGER", phaseId: p3.id, text: "Ops later" });

  // Reading: four DBA entries; dba1 read the first and the third.
  const documents = await Promise.all(
    ["docs/db-1.md", "docs/db-2.md", "docs/db-3.md", "docs/db-4.md", "docs/security.md"].map((path, i) => db.document.create({ data: { rolloutId, key: `doc-${i}`, title: `Doc ${i}`, path, summary: [] } })),
  );
  const entries = [];
  for (let i = 0; i < 4; i++) entries.push(await db.readingListEntry.create({ data: { rolloutId, role: "DBA", documentId: documents[i].id, position: i, minutes: 10 + i } }));
  await db.readingListEntry.create({ data: { rolloutId, role: "SECURITY_OFFICER", documentId: documents[4].id, position: 0, minutes: 5 } });
  await db.readState.createMany({ data: [entries[0], entries[2]].map((e) => ({ entryId: e.id, userId: people.dba1.id })) });
  ids.entries = entries.map((e) => e.id).join(",");
  ids.securityDoc = documents[4].id;

  // Ten success criteria in one group.
  const groupId = await criterionGroupId(db, rolloutId);
  await db.successCriterion.createMany({ data: Array.from({ length: 10 }, (_, i) => ({ rolloutId, groupId, position: i, text: `Criterion ${i}` })) });
});
afterAll(async () => t?.close());

describe("who may read a dashboard", () => {
  it("answers NOT_FOUND to a member of another rollout, for a role they do not hold, and for a role the rollout does not have", async () => {
    const { getRoleDashboard } = await import("@/lib/dal/dashboard");
    await expectCode(getRoleDashboard(people.outsider, slug, "dba", NOW), "NOT_FOUND");
    await expectCode(getRoleDashboard(people.outsider, slug, "executive", NOW), "NOT_FOUND");
    await expectCode(dashboard("dba1", "executive"), "NOT_FOUND");
    await expectCode(dashboard("dba1", "auditor"), "NOT_FOUND");
    await expectCode(dashboard("dba1", "no-such-role"), "NOT_FOUND");
    // The custom role's holder holds DBA only as its base role: the DBA dashboard is not theirs.
    await expectCode(dashboard("aud", "dba"), "NOT_FOUND");
  });
});

describe("a DBA's dashboard", () => {
  it("counts the next 24 hours over every item and lists the first eight in the plan's order; a linked item shows once, as the decision", async () => {
    const d = await dashboard("dba1", "dba");
    // Ten due in two hours, the next-24-hours list's item, the optional late one; not the closed phase's, not the one sign-off 1 completes, not the custom role's.
    expect(d.nextDay.items.total).toBe(12);
    expect(d.nextDay.items.rows.map((i) => i.id)).toEqual([ids.listed, ...ids.dueList.split(",").slice(0, 7)]);
    // Decisions owed within 24 h: sign-off 1 and sign-off 8; dba1 already decided sign-off 2, sign-off 4 is due in five days.
    expect(d.nextDay.decisions.total).toBe(2);
    expect(d.nextDay.decisions.rows.map((s) => s.id)).toEqual([ids.s1, ids.s8]);
    // dba2 has not decided sign-off 2 yet: it is owed.
    expect((await dashboard("dba2", "dba")).nextDay.decisions.rows.map((s) => s.id)).toEqual([ids.s1, ids.s2, ids.s8]);
  });

  it("counts the role's checklist over all its items, in every state", async () => {
    const d = await dashboard("dba1", "dba");
    // 10 due + closed phase + next-24h + linked + done + late = 15 (the custom role's items are not the DBA's).
    expect(d.checklist.total).toBe(15);
    expect(d.checklist.rows).toHaveLength(8);
    expect(d.checklist.rows[0].id).toBe(ids.listed);
    expect(d.checklist.rows[0]).toMatchObject({ list: "NEXT_24H", phase: null, state: "OPEN" });
  });

  it("shows the reading list's first three entries with the caller's read marks and the progress over all four", async () => {
    const d = await dashboard("dba1", "dba");
    expect(d.reading).toMatchObject({ total: 4, read: 2, minutes: 10 + 11 + 12 + 13 });
    expect(d.reading.entries.map((e) => [e.id, e.read])).toEqual(ids.entries.split(",").slice(0, 3).map((id, i) => [id, i !== 1]));
    const other = await dashboard("dba2", "dba");
    expect(other.reading).toMatchObject({ total: 4, read: 0 });
  });

  it("lists its sign-offs pending first, then decided ones, and counts them all", async () => {
    const d = await dashboard("dba1", "dba");
    expect(d.signOffs.total).toBe(5);
    expect(d.signOffs.rows.map((s) => s.id)).toEqual([ids.s1, ids.s2, ids.s4, ids.s8, ids.s3]);
    const s2 = d.signOffs.rows.find((s) => s.id === ids.s2)!;
    expect(s2.decisions).toEqual([expect.objectContaining({ userId: people.dba1.id, value: "APPROVE", withdrawnAt: null, user: { name: people.dba1.name } })]);
    expect(d.executive).toBeNull();
    expect(d.security).toBeNull();
    expect(d.operations).toBeNull();
  });
});

describe("a custom role's dashboard", () => {
  it("shows the custom role's own items, never its base role's", async () => {
    const d = await dashboard("aud", "auditor");
    expect(d.ref).toEqual({ role: "DBA", customRoleId: ids.auditor });
    expect(d.custom).toEqual({ id: ids.auditor, name: "Auditor" });
    // Audit A is due in 5 h; Audit B in 30 h.
    expect(d.nextDay.items.rows.map((i) => i.text)).toEqual(["Audit A"]);
    expect(d.checklist.total).toBe(2);
    expect(d.signOffs.total).toBe(0);
    expect(d.reading.total).toBe(0);
  });
});

describe("the executive's dashboard", () => {
  it("gives phase progress and gates, the risks with their counts, the budget and the team's reading", async () => {
    const d = await dashboard("exec", "executive");
    const e = d.executive!;
    expect(e.phases.map((p) => p.name)).toEqual(["Prepare", "Migrate", "Polish"]);
    // Migrate: 10 due + linked + done + late + 2 audits + ops late = 16 items, one done.
    expect(e.phases[1].progress).toMatchObject({ done: 1, total: 16 });
    expect(e.charts.phases.map((p) => [p.name, p.done, p.open, p.total])).toEqual([
      ["Prepare", 0, 1, 1],
      ["Migrate", 1, 15, 16],
      ["Polish", 0, 1, 1],
    ]);
    // Open items of the phases' lists (the next-24-hours list's item is not one).
    expect(e.charts.burnDown.openNow).toBe(17);
    // Overdue and required: only the ops item (the DBA's late item is optional).
    expect(e.risk.overdue).toEqual({ total: 1, rows: [{ id: ids.opsLate, text: "Ops late" }] });
    expect(e.risk.rejected).toEqual({ total: 1, rows: [{ id: ids.s5, title: "Sign-off 5" }] });
    expect(e.budget).toEqual({ asked: BigInt(150_000), approved: BigInt(100_000), currency: "BRL" });
    const dbaTeam = e.team.find((r) => r.key === "DBA")!;
    expect(dbaTeam).toMatchObject({ entries: 4, read: 2, total: 8, percent: 25, customName: null });
    expect(dbaTeam.perPerson.map((p) => [p.person.id, p.read])).toEqual([
      [people.dba1.id, 2],
      [people.dba2.id, 0],
    ]);
    expect(e.team.map((r) => r.key)).toEqual(["DBA", "SECURITY_OFFICER"]);
  });
});

describe("the security officer's dashboard", () => {
  it("counts what its gate lacks and lists every policy with the document its reference names", async () => {
    const d = await dashboard("sec", "security");
    const s = d.security!;
    expect(s.policies.map((p) => p.id)).toEqual([ids.s6, ids.s7]);
    expect(s).toMatchObject({ approvedPolicies: 1, lackingPolicies: 1, lackingOthers: 1 });
    expect(s.others).toMatchObject({ total: 1 });
    expect(s.others.rows.map((r) => r.id)).toEqual([ids.s8]);
    expect(s.policies[0].documents).toEqual([{ id: ids.securityDoc, title: "Doc 4", path: "docs/security.md" }]);
    // Its lists show every decision it owes: the next 24 hours count them and show no cards.
    expect(d.nextDay.decisions).toEqual({ total: 1, rows: [] });
  });
});

describe("the operations manager's dashboard", () => {
  it("lists its open items of the phase under way, the first criteria with their count, and its overdue count", async () => {
    const d = await dashboard("ops", "operations");
    const o = d.operations!;
    expect(o.current).toEqual({ id: ids.p2, name: "Migrate", position: 2 });
    expect(o.onCall).toEqual({ total: 1, rows: [expect.objectContaining({ id: ids.opsLate })] });
    expect(o.criteria.total).toBe(10);
    expect(o.criteria.rows.map((c) => c.text)).toEqual(Array.from({ length: 8 }, (_, i) => `Criterion ${i}`));
    expect(o.overdue).toBe(1);
  });
});

describe("an archived rollout", () => {
  it("says so, and its rows may be neither ticked nor assigned", async () => {
    await t.db.rollout.update({ where: { id: rolloutId }, data: { archivedAt: NOW } });
    try {
      const d = await dashboard("dba1", "dba");
      expect(d.rollout.archived).toBe(true);
      expect(d.checklist.rows.some((i) => canTick(i, d, people.dba1.id) || mayAssign(i, d))).toBe(false);
    } finally {
      await t.db.rollout.update({ where: { id: rolloutId }, data: { archivedAt: null } });
    }
    const d = await dashboard("dba1", "dba");
    expect(d.rollout.archived).toBe(false);
    expect(canTick(d.checklist.rows[0], d, people.dba1.id)).toBe(true);
  });
});

describe("on the sample plan, every role's dashboard agrees with the dashboards' rules over the whole rollout", () => {
  // The rules of lib/view/dashboard.ts applied to the whole rollout (the snapshot every
  // dashboard used to read) are the reference: the bounded reads must give the same counts
  // and the same first rows.
  it("for each role of the plan", { timeout: 120_000 }, async () => {
    const { seedSampleRollout } = await import("@/prisma/seed");
    const { loadRolloutSnapshot } = await import("@/lib/dal/snapshot");
    const { getRoleDashboard } = await import("@/lib/dal/dashboard");
    const { burnDownFromSnapshot } = await import("@/lib/dal/timeline");
    const rules = await import("@/lib/view/dashboard");
    const { signOffCard } = await import("@/lib/view/sign-off-cards");
    const { isApprover, roleKeyOf, ROLE_SLUGS, PLAN_ROLES } = await import("@/lib/domain/roles");
    const sample = "dashboards-sample";
    await seedSampleRollout(t.db, { passwordHash: "x", slug: sample, anchor: new Date() });
    const now = new Date();
    const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);
    const pendingFirst = <S extends { status: string }>(list: readonly S[]) => [...list.filter((s) => s.status === "PENDING"), ...list.filter((s) => s.status !== "PENDING")];
    for (const role of PLAN_ROLES) {
      const member = await t.db.rolloutMember.findFirstOrThrow({ where: { rollout: { slug: sample }, role, customRoleId: null }, include: { user: true } });
      const actor = asActor(member.user);
      const snapshot = await loadRolloutSnapshot(actor, sample);
      const d = await getRoleDashboard(actor, sample, ROLE_SLUGS[role], now);
      const ref = { role, customRoleId: null };
      const label = `${role}: `;
      // The executive's dashboard, which also carries the phases, charts and risks, lists its own items' first 5; the others their first 8.
      const firstN = role === "EXECUTIVE" ? 5 : 8;
      const next = rules.nextDay(snapshot, ref, now);
      expect({ total: d.nextDay.items.total, first: ids(d.nextDay.items.rows) }, `${label}next 24 hours`).toEqual({ total: next.items.length, first: ids(next.items.slice(0, firstN)) });
      expect(d.nextDay.decisions.total, `${label}decisions owed`).toBe(next.decisions.length);
      if (role !== "SECURITY_OFFICER") expect(ids(d.nextDay.decisions.rows), `${label}decisions owed`).toEqual(ids(next.decisions.slice(0, 6)));
      const mine = snapshot.items.filter((i) => rules.ownsItem(i, ref));
      expect({ total: d.checklist.total, first: ids(d.checklist.rows) }, `${label}checklist`).toEqual({ total: mine.length, first: ids(mine.slice(0, firstN)) });
      const reading = snapshot.reading.filter((e) => roleKeyOf(e) === role);
      expect(d.reading, `${label}reading`).toMatchObject({
        total: reading.length,
        read: reading.filter((e) => e.readStates.some((r) => r.userId === actor.id)).length,
        minutes: reading.reduce((s, e) => s + e.minutes, 0),
      });
      expect(ids(d.reading.entries)).toEqual(ids(reading.slice(0, 3)));
      const signOffs = snapshot.signOffs.filter((s) => isApprover(s, ref));
      expect(d.signOffs.total, `${label}sign-offs`).toBe(signOffs.length);
      if (role !== "SECURITY_OFFICER") expect(ids(d.signOffs.rows), `${label}sign-offs`).toEqual(ids(pendingFirst(signOffs).slice(0, 6)));
      for (const s of d.signOffs.rows) {
        const full = snapshot.signOffs.find((x) => x.id === s.id)!;
        expect(signOffCard(s, d, "en"), `${label}card ${s.title}`).toEqual(signOffCard(full, snapshot, "en"));
      }
      for (const i of d.checklist.rows) {
        const full = snapshot.items.find((x) => x.id === i.id)!;
        expect(rules.toChecklistRow(i)).toEqual(rules.toChecklistRow(full));
        expect(rules.tickLock(i, d, actor.id)).toEqual(rules.tickLock(full, snapshot, actor.id));
        expect(rules.mayAssign(i, d)).toBe(rules.mayAssign(full, snapshot));
      }
      expect(rules.assignablePeople(d)).toEqual(rules.assignablePeople(snapshot));
      if (role === "EXECUTIVE") {
        const e = d.executive!;
        const risk = rules.riskSummary(snapshot, now);
        expect(e.risk.overdue).toEqual({ total: risk.overdue.length, rows: risk.overdue.slice(0, 5).map(({ id, text }) => ({ id, text })) });
        expect(e.risk.rejected).toEqual({ total: risk.rejected.length, rows: risk.rejected.slice(0, 5).map(({ id, title }) => ({ id, title })) });
        const budget = rules.budgetSummary(snapshot);
        expect(e.budget).toEqual({ asked: budget.asked, approved: budget.approved, currency: budget.currency });
        expect(e.team).toEqual(rules.teamReading(snapshot).map(({ perPerson, ...r }) => ({ ...r, perPerson: perPerson.map((p) => ({ person: { id: p.person.id, name: p.person.name }, read: p.read })) })));
        expect(e.phases.map((p) => p.progress)).toEqual(rules.phaseSummaries(snapshot).map((p) => p.progress));
        const charts = await burnDownFromSnapshot(snapshot, now);
        expect(e.charts.phases).toEqual(charts.phases);
        expect(e.charts.burnDown).toEqual(charts.burnDown);
      }
      if (role === "SECURITY_OFFICER") {
        const policies = signOffs.filter((s) => s.kind === "SECURITY_POLICY");
        expect(ids(d.security!.policies)).toEqual(ids(policies));
        for (const s of d.security!.policies) {
          expect(rules.referencedDocument(s.reference, { reading: s.documents.map((document) => ({ document })) })?.id).toBe(rules.referencedDocument(s.reference, snapshot)?.id);
        }
        for (const s of [...d.security!.policies, ...d.security!.others.rows]) {
          const full = snapshot.signOffs.find((x) => x.id === s.id)!;
          expect(signOffCard(s, d, "en"), `${label}card ${s.title}`).toEqual(signOffCard(full, snapshot, "en"));
        }
        const others = signOffs.filter((s) => s.kind !== "SECURITY_POLICY");
        expect(ids(d.security!.others.rows)).toEqual(ids(pendingFirst(others).slice(0, 6)));
      }
      if (role === "OPS_MANAGER") {
        expect(d.operations!.criteria).toEqual({ total: snapshot.criteria.length, rows: snapshot.criteria.slice(0, 8).map(({ id, text, verifiedAt }) => ({ id, text, verifiedAt })) });
        expect(d.operations!.overdue).toBe(mine.filter((i) => rules.isOverdue(i, now)).length);
      }
    }
  });
});
