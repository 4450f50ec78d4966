import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { isAppError, type ErrorCode } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { createRollout, createUser, criterionGroupId } from "./helpers/factories";
import { createTestDb, type TestDb } from "./helpers/test-db";

// The data behind a phase's page, go/no-go and the printable summary (lib/dal/gate-pages.ts),
// on a rollout made by hand so every figure below is known in advance: the first items, the
// first sign-offs (those awaiting a decision first), the gate's first blockers with the
// open items left out counted, a gate closed by an override, the criteria's first lines and
// counts, the overdue items, the budgets, the reading per role, and who may read them.

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const DAY = 86_400_000;
const NOW = new Date("2026-03-10T12:00:00Z");

let t: TestDb;
let slug: string;
const actors: Record<"exec" | "ops" | "viewer" | "admin" | "qa" | "outsider", Actor> = {} as never;
let names: Record<string, string>;
let phase1Items: { id: string; text: string }[];
let phase1SignOffs: { id: string; title: string }[];

const asActor = (user: { id: string; email: string; name: string }): Actor => ({ id: user.id, email: user.email, name: user.name, locale: null });

async function expectCode(promise: Promise<unknown>, code: ErrorCode) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
}

beforeAll(async () => {
  t = await createTestDb();
  const db = t.db;
  const rollout = await createRollout(db);
  slug = rollout.slug;
  const member = async (roles: Role[], active = true) => createUser(db, { rolloutId: rollout.id, roles, active });
  const exec = await member(["EXECUTIVE"]);
  const ops = await member(["OPS_MANAGER"]);
  const viewer = await member(["VIEWER"]);
  const admin = await member(["ADMIN"]);
  const inactiveExec = await member(["EXECUTIVE"], false);
  const qaRole = await db.rolloutRole.create({ data: { rolloutId: rollout.id, slug: "qa-lead", name: "QA lead", baseRole: "DEV_LEAD", position: 0 } });
  const qa = await createUser(db);
  await db.rolloutMember.create({ data: { rolloutId: rollout.id, userId: qa.id, role: "DEV_LEAD", customRoleId: qaRole.id } });
  const other = await createRollout(db);
  const outsider = await createUser(db, { rolloutId: other.id, roles: ["EXECUTIVE", "ADMIN"] });
  Object.assign(actors, { exec: asActor(exec), ops: asActor(ops), viewer: asActor(viewer), admin: asActor(admin), qa: asActor(qa), outsider: asActor(outsider) });
  names = { exec: exec.name, ops: ops.name, admin: admin.name };

  const [p1, p2, p3] = await Promise.all([
    db.phase.create({ data: { rolloutId: rollout.id, position: 1, name: "Pilot", status: "IN_PROGRESS", actualStart: new Date(NOW.getTime() - 5 * DAY) } }),
    db.phase.create({ data: { rolloutId: rollout.id, position: 2, name: "Cutover", status: "DONE", overrideReason: "Pilot starts Monday", overriddenById: admin.id, overriddenAt: new Date(NOW.getTime() - DAY) } }),
    db.phase.create({ data: { rolloutId: rollout.id, position: 3, name: "Go live", status: "NOT_STARTED" } }),
  ]);

  // Phase 1: 25 items. 1-3 done, 4 optional and open, 5-25 open and required (21 of them).
  // Overdue (open, required, due before now): 5 and 6. Item 4 is due too, but optional; 1 is done; 7 is due later.
  const due = (n: number) => (n === 1 || n === 4 || n === 5 || n === 6 ? new Date(NOW.getTime() - DAY) : n === 7 ? new Date(NOW.getTime() + DAY) : null);
  await db.checklistItem.createMany({
    data: Array.from({ length: 25 }, (_, i) => ({
      rolloutId: rollout.id,
      phaseId: p1.id,
      list: "PHASE" as const,
      position: i + 1,
      text: `Item ${i + 1}`,
      ownerRole: "OPS_MANAGER" as const,
      state: i < 3 ? ("DONE" as const) : ("OPEN" as const),
      optional: i === 3,
      dueAt: due(i + 1),
    })),
  });
  phase1Items = await db.checklistItem.findMany({ where: { phaseId: p1.id }, orderBy: { position: "asc" }, select: { id: true, text: true } });
  // Phase 2, closed by an override: an open required item (no due date) and an undecided sign-off.
  await db.checklistItem.create({ data: { rolloutId: rollout.id, phaseId: p2.id, list: "PHASE", position: 1, text: "Cutover rehearsal", state: "OPEN" } });
  // An item of the week's list, done: not among the phases' items.
  await db.checklistItem.create({ data: { rolloutId: rollout.id, list: "IMMEDIATE", position: 1, text: "Book the room", state: "DONE" } });

  // Phase 1's 32 sign-offs, in the plan's order: approved, rejected, approved, then 29 awaiting a decision.
  const status = (i: number) => (i === 0 || i === 2 ? ("APPROVED" as const) : i === 1 ? ("REJECTED" as const) : ("PENDING" as const));
  await db.signOff.createMany({
    data: Array.from({ length: 32 }, (_, i) => ({
      id: `${rollout.id}-s${i}`,
      rolloutId: rollout.id,
      phaseId: p1.id,
      kind: "PHASE_GATE" as const,
      position: i,
      title: `Sign-off ${i}`,
      requiredRoles: i === 3 ? (["OPS_MANAGER", "EXECUTIVE"] as Role[]) : (["EXECUTIVE"] as Role[]),
      status: status(i),
    })),
  });
  phase1SignOffs = await db.signOff.findMany({ where: { phaseId: p1.id }, orderBy: { position: "asc" }, select: { id: true, title: true } });
  await db.signOffDecision.createMany({
    data: [
      { signOffId: `${rollout.id}-s0`, userId: exec.id, role: "EXECUTIVE", value: "APPROVE", comment: "Fine" },
      { signOffId: `${rollout.id}-s1`, userId: exec.id, role: "EXECUTIVE", value: "REJECT", comment: "Not yet" },
      { signOffId: `${rollout.id}-s2`, userId: exec.id, role: "EXECUTIVE", value: "APPROVE", comment: null },
      // Withdrawn: it no longer counts, and its author is awaited again.
      { signOffId: `${rollout.id}-s3`, userId: ops.id, role: "OPS_MANAGER", value: "APPROVE", comment: null, withdrawnAt: new Date(NOW.getTime() - DAY) },
    ],
  });
  await db.signOff.create({ data: { rolloutId: rollout.id, phaseId: p2.id, kind: "PHASE_GATE", position: 40, title: "Cutover gate", requiredRoles: ["EXECUTIVE"] } });
  await db.signOff.create({ data: { id: `${rollout.id}-gng`, rolloutId: rollout.id, phaseId: p3.id, kind: "GO_NO_GO", position: 50, title: "Go/No-go", requiredRoles: ["EXECUTIVE"] } });
  // Budgets (no phase): asked 1,500.00 BRL, approved 1,000.00; one without an amount.
  await db.signOff.createMany({
    data: [
      { rolloutId: rollout.id, kind: "BUDGET", position: 60, title: "Licences", amountCents: BigInt(100_000), currency: "BRL", requiredRoles: ["FINANCE"], status: "APPROVED" },
      { rolloutId: rollout.id, kind: "BUDGET", position: 61, title: "Training", amountCents: BigInt(50_000), currency: "BRL", requiredRoles: ["FINANCE"] },
      { rolloutId: rollout.id, kind: "BUDGET", position: 62, title: "Contingency", requiredRoles: ["FINANCE"] },
    ],
  });

  // Criteria: group A (first) 12 with 5 verified, group B 11 with 2 verified.
  const groupA = await criterionGroupId(db, rollout.id, "A");
  const groupB = await criterionGroupId(db, rollout.id, "B");
  await db.successCriterion.createMany({
    data: [
      ...Array.from({ length: 12 }, (_, i) => ({ rolloutId: rollout.id, groupId: groupA, position: i, text: `A${i}`, verifiedAt: i < 5 ? NOW : null })),
      ...Array.from({ length: 11 }, (_, i) => ({ rolloutId: rollout.id, groupId: groupB, position: i, text: `B${i}`, verifiedAt: i < 2 ? NOW : null })),
    ],
  });

  // Reading: the executives' list (2 entries), the operations manager's (1), the QA lead's (1).
  const docs = await Promise.all([1, 2, 3, 4].map((n) => db.document.create({ data: { rolloutId: rollout.id, key: `doc-${n}`, title: `Doc ${n}`, summary: [] } })));
  const entry = (role: Role, documentId: string, position: number, customRoleId: string | null = null) =>
    db.readingListEntry.create({ data: { rolloutId: rollout.id, role, customRoleId, documentId, position, minutes: 5 } });
  const execEntries = [await entry("EXECUTIVE", docs[0].id, 0), await entry("EXECUTIVE", docs[1].id, 1)];
  await entry("OPS_MANAGER", docs[2].id, 0);
  const qaEntry = await entry("DEV_LEAD", docs[3].id, 0, qaRole.id);
  await db.readState.createMany({
    data: [
      // The executive read both; an inactive executive and a viewer read one each (neither counts).
      { entryId: execEntries[0].id, userId: exec.id },
      { entryId: execEntries[1].id, userId: exec.id },
      { entryId: execEntries[0].id, userId: inactiveExec.id },
      { entryId: execEntries[1].id, userId: viewer.id },
      { entryId: qaEntry.id, userId: qa.id },
    ],
  });
});

afterAll(async () => {
  await t?.close();
});

const gatePages = () => import("@/lib/dal/gate-pages");

describe("a phase's page", () => {
  it("lists the first 20 items in the plan's order and counts them all", async () => {
    const page = await (await gatePages()).getPhasePage(actors.viewer, slug, 1);
    expect(page.phase).toMatchObject({ name: "Pilot", position: 1, status: "IN_PROGRESS" });
    expect(page.items.map((i) => i.text)).toEqual(phase1Items.slice(0, 20).map((i) => i.text));
    expect(page.itemCount).toBe(25);
    // Progress over every item: 3 done of the 25 (none not applicable).
    expect(page.phase.progress).toEqual({ done: 3, total: 25, notApplicable: 0, percent: 12 });
  });

  it("names the gate's first blockers and counts the open required items left out", async () => {
    const { phase } = await (await gatePages()).getPhasePage(actors.viewer, slug, 1);
    const gate = phase.gateState;
    expect(gate.state).toBe("blocked");
    // 21 open required items (the optional one does not block); 29 sign-offs awaited, 1 rejected.
    expect(gate.openItems).toBe(21);
    expect(gate.signOffs).toEqual({ approved: 2, total: 32, missing: 29, rejected: 1, closedUndecided: 0 });
    // The gate's order: rejections, then open items, then decisions awaited. The first 20 are
    // the rejected sign-off and items 5 to 23; item 25 is the one open item not named.
    const first20 = gate.blockers.slice(0, 20).map((b) => (b.kind === "item" ? b.text : b.title));
    expect(first20).toEqual(["Sign-off 1", ...Array.from({ length: 19 }, (_, i) => `Item ${i + 5}`)]);
    expect(gate.hiddenItems).toBe(1);
    expect(gate.blockers.length + gate.hiddenItems).toBe(1 + 21 + 29);
  });

  it("shows 30 of its 32 sign-offs, those awaiting a decision first, in the plan's order", async () => {
    const page = await (await gatePages()).getPhasePage(actors.viewer, slug, 1);
    expect(page.signOffCount).toBe(32);
    // The 29 awaiting a decision, then the first approved one; the rejected one (named among
    // the gate's blockers) and the second approved one are left out.
    expect(page.signOffs.map((s) => s.title)).toEqual(["Sign-off 0", ...phase1SignOffs.slice(3).map((s) => s.title)]);
  });

  it("builds each card with its standing decisions and the active members it waits for", async () => {
    const { signOffCard } = await import("@/lib/view/sign-off-cards");
    const page = await (await gatePages()).getPhasePage(actors.admin, slug, 1);
    const card = (title: string) => signOffCard(page.signOffs.find((s) => s.title === title)!, page, "en");
    expect(card("Sign-off 0")).toMatchObject({ status: "APPROVED", approvals: 1, needed: 1, closed: false, canWithdrawOthers: true });
    expect(card("Sign-off 0").decisions.map((d) => [d.userName, d.value, d.comment])).toEqual([[names.exec, "APPROVE", "Fine"]]);
    // The operations manager's decision was withdrawn: they are awaited again, with the active executive.
    const third = card("Sign-off 3");
    expect(third.decisions).toEqual([]);
    expect(third.waitingFor.map((w) => w.name).sort()).toEqual([names.exec, names.ops].sort());
  });

  it("reads only the members the cards name for someone who assigns nothing", async () => {
    const page = await (await gatePages()).getPhasePage(actors.viewer, slug, 1);
    expect(page.people).toEqual([]);
    // Those holding a role that decides a shown sign-off awaiting a decision: the active executive and the operations manager.
    expect(page.members.map((m) => m.user.name).sort()).toEqual([names.exec, names.ops].sort());
  });

  it("offers whoever may assign items every active member, once", async () => {
    const page = await (await gatePages()).getPhasePage(actors.ops, slug, 1);
    expect(page.people.map((p) => p.name)).toHaveLength(5);
    expect(page.people.map((p) => p.name)).toContain(names.admin);
  });

  it("shows a gate closed by an override: by whom, when and why, its undecided sign-off closed", async () => {
    const page = await (await gatePages()).getPhasePage(actors.viewer, slug, 2);
    expect(page.phase.gateState).toMatchObject({
      state: "closed",
      closedBy: "override",
      override: { by: names.admin, reason: "Pilot starts Monday" },
      openItems: 0,
      blockers: [],
      hiddenItems: 0,
      signOffs: { approved: 0, total: 1, missing: 0, rejected: 0, closedUndecided: 1 },
    });
    expect(page.phase.overriddenByName).toBe(names.admin);
  });

  it("answers NOT_FOUND for a position without a phase and for another rollout's member", async () => {
    const { getPhasePage } = await gatePages();
    await expectCode(getPhasePage(actors.exec, slug, 4), "NOT_FOUND");
    await expectCode(getPhasePage(actors.outsider, slug, 1), "NOT_FOUND");
  });
});

describe("go/no-go", () => {
  it("gives the decisions, every phase's gate, the criteria's first 20 with their counts, and the overdue items counted", async () => {
    const page = await (await gatePages()).getGoNoGoPage(actors.viewer, slug, NOW);
    expect(page.decisions.map((d) => d.title)).toEqual(["Go/No-go"]);
    expect(page.decisionCount).toBe(1);
    expect(page.members.map((m) => m.user.name)).toEqual([names.exec]);
    expect(page.phases.map((p) => [p.name, p.gateState.state])).toEqual([
      ["Pilot", "blocked"],
      ["Cutover", "closed"],
      ["Go live", "blocked"],
    ]);
    expect(page.criteria.map((c) => c.text)).toEqual([...Array.from({ length: 12 }, (_, i) => `A${i}`), ...Array.from({ length: 8 }, (_, i) => `B${i}`)]);
    expect(page.criteriaCount).toBe(23);
    expect(page.verifiedCount).toBe(7);
    // Items 5 and 6 of the pilot (the cutover rehearsal has no due date).
    expect(page.overdue).toBe(2);
  });

  it("answers NOT_FOUND to another rollout's member", async () => {
    await expectCode((await gatePages()).getGoNoGoPage(actors.outsider, slug, NOW), "NOT_FOUND");
  });
});

describe("the summary", () => {
  it("counts progress, decisions, overdue items, budgets and reading per role", async () => {
    const summary = await (await gatePages()).getRolloutSummary(actors.viewer, slug, NOW);
    // The phases' items: the pilot's 25 (3 done) and the cutover's 1; the week's list is not counted.
    expect(summary.overall).toEqual({ done: 3, total: 26, notApplicable: 0, percent: 12 });
    // 29 + 1 + 1 + 2 budgets awaiting; 2 + 1 budget approved; 1 rejected.
    expect(summary.signOffs).toEqual({ PENDING: 33, APPROVED: 3, REJECTED: 1 });
    expect(summary.overdue).toBe(2);
    expect(summary.budget).toEqual({ asked: BigInt(150_000), approved: BigInt(100_000), currency: "BRL" });
    expect(summary.phases.map((p) => [p.position, p.progress.done, p.progress.total])).toEqual([
      [1, 3, 25],
      [2, 0, 1],
      [3, 0, 0],
    ]);
    // In the order of the lists (by role); a custom role under its own name. Only active
    // holders of the role count, and only what they read of their own list.
    expect(summary.reading.map(({ role, customName, entries, people, read, total }) => ({ role, customName, entries, people, read, total }))).toEqual([
      { role: "EXECUTIVE", customName: null, entries: 2, people: 1, read: 2, total: 2 },
      { role: "DEV_LEAD", customName: "QA lead", entries: 1, people: 1, read: 1, total: 1 },
      { role: "OPS_MANAGER", customName: null, entries: 1, people: 1, read: 0, total: 1 },
    ]);
  });

  it("answers NOT_FOUND to another rollout's member", async () => {
    await expectCode((await gatePages()).getRolloutSummary(actors.outsider, slug, NOW), "NOT_FOUND");
  });
});
