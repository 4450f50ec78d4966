import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/generated/prisma/enums";
import { createRollout, createUser, unique } from "./helpers/factories";
import { ORIGIN, sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {}, refresh: () => {} }));

// A rollout admin may withdraw someone else's decision (docs/security.md, the subject
// rules): only while the gate is open, never in an archived rollout, with a reason of 3 to
// 500 characters that goes on record with the decision's author. A refused call changes
// nothing: no decision, no sign-off status, no ledger event, no notification.

let t: TestDb;
let rollout: { id: string; slug: string };
const people: Record<string, { id: string; sessionVersion: number; name?: string }> = {};

beforeAll(async () => {
  t = await createTestDb();
  rollout = await createRollout(t.db);
  const member = (roles: Role[]) => createUser(t.db, { rolloutId: rollout.id, roles });
  people.finance = await member(["FINANCE"]);
  people.executive = await member(["EXECUTIVE"]);
  people.admin = await member(["ADMIN"]);
  people.adminExecutive = await member(["ADMIN", "EXECUTIVE"]);
});
afterAll(async () => t?.close());

async function as(person: keyof typeof people) {
  setRequest({ cookie: await sessionCookie(people[person]), origin: ORIGIN });
}

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.set(k, v);
  return data;
}

const actions = () => import("@/lib/actions/workflows");

/** A budget sign-off (finance and the executive must both approve) in an open phase, approved by both through the real actions. */
async function approvedByTwo() {
  const phase = await t.db.phase.create({ data: { rolloutId: rollout.id, position: Math.floor(Math.random() * 1e9), name: unique("phase"), status: "IN_PROGRESS" } });
  const signOff = await t.db.signOff.create({ data: { rolloutId: rollout.id, phaseId: phase.id, position: Math.floor(Math.random() * 1e9), title: unique("budget"), kind: "BUDGET", requiredRoles: ["FINANCE", "EXECUTIVE"], everyRole: true } });
  const { decideSignOffAction } = await actions();
  for (const person of ["finance", "executive"] as const) {
    await as(person);
    const result = await decideSignOffAction(undefined, form({ signOffId: signOff.id, value: "APPROVE" }));
    expect(result.ok, JSON.stringify(result)).toBe(true);
  }
  const decision = await t.db.signOffDecision.findFirstOrThrow({ where: { signOffId: signOff.id, userId: people.finance.id } });
  return { phase, signOff, decision };
}

/** Everything a withdrawal could touch, for "nothing changed". */
async function state() {
  const [decisions, signOffs, events, notifications] = await Promise.all([
    t.db.signOffDecision.findMany({ orderBy: { id: "asc" } }),
    t.db.signOff.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, version: true } }),
    t.db.auditEvent.count(),
    t.db.notification.count(),
  ]);
  return JSON.stringify({ decisions, signOffs, events, notifications });
}

async function refused(person: keyof typeof people, input: Record<string, string>, message: string, code: string) {
  const before = await state();
  await as(person);
  const { withdrawOthersDecisionAction } = await actions();
  const result = await withdrawOthersDecisionAction(undefined, form(input));
  expect(result).toMatchObject({ ok: false, code, message });
  expect(await state()).toBe(before);
}

describe("a rollout admin withdraws someone else's decision", () => {
  it("is recorded in the ledger with the admin, the author and the reason; the sign-off's status follows; the ledger still replays", async () => {
    const { signOff, decision } = await approvedByTwo();
    expect((await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).status).toBe("APPROVED");
    await as("admin");
    const { withdrawOthersDecisionAction } = await actions();
    const result = await withdrawOthersDecisionAction(undefined, form({ decisionId: decision.id, reason: "  Approved on the old figures  " }));
    expect(result).toMatchObject({ ok: true, message: "Decision withdrawn. Its author is told." });

    const after = await t.db.signOffDecision.findUniqueOrThrow({ where: { id: decision.id } });
    expect(after.withdrawnById).toBe(people.admin.id);
    expect(after.withdrawnAt).not.toBeNull();
    // One of two approvals is gone: the sign-off waits again.
    expect((await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).status).toBe("PENDING");
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { rolloutId: rollout.id, action: "signoff.decision.withdrawn", targetId: signOff.id } });
    const author = await t.db.user.findUniqueOrThrow({ where: { id: people.finance.id } });
    expect(event.actorId).toBe(people.admin.id);
    expect(event.after).toMatchObject({ status: "PENDING", withdrawnById: people.admin.id, authorId: people.finance.id, authorName: author.name, reason: "Approved on the old figures" });

    // The ledger's replay takes the author's decision away, not the admin's.
    const { replayRollout } = await import("@/lib/audit/replay");
    const events = await t.db.auditEvent.findMany({ where: { rolloutId: rollout.id }, orderBy: { seq: "asc" } });
    // (The fixture made its phases directly, so only the sign-offs and decisions are compared.)
    const findings = (await replayRollout(t.db, rollout.id, events)).filter((f) => f.table === "SignOff" || f.table === "SignOffDecision");
    expect(findings).toEqual([]);

    // The activity feed says who withdrew whose decision, and why.
    const { describeActivity } = await import("@/components/activity/describe-activity");
    const en = (await import("@/lib/i18n/messages/en.json")).default as Record<string, unknown>;
    const { createTranslator } = await import("next-intl");
    const translate = createTranslator({ locale: "en", messages: en }) as unknown as (key: string, values?: Record<string, string | number>) => string;
    const admin = await t.db.user.findUniqueOrThrow({ where: { id: people.admin.id } });
    const described = describeActivity({ action: event.action, actor: { name: admin.name } as never, target: signOff.title, targetType: "SignOff", before: event.before as never, after: event.after as never }, translate);
    expect(described.sentence).toBe(`${admin.name} withdrew the decision of ${author.name} on “${signOff.title}”`);
    expect(described.details).toEqual(["Reason: Approved on the old figures"]);
  });

  it("is refused once the gate closed, and changes nothing", async () => {
    const { phase, decision } = await approvedByTwo();
    await t.db.phase.update({ where: { id: phase.id }, data: { status: "DONE" } });
    await refused("admin", { decisionId: decision.id, reason: "Approved on the old figures" }, `Phase "${phase.name}" is closed; decisions on its gate are final.`, "CONFLICT");
  });

  it("is refused in an archived rollout, and changes nothing", async () => {
    const { decision } = await approvedByTwo();
    await t.db.rollout.update({ where: { id: rollout.id }, data: { archivedAt: new Date() } });
    try {
      await refused("admin", { decisionId: decision.id, reason: "Approved on the old figures" }, `"${(await t.db.rollout.findUniqueOrThrow({ where: { id: rollout.id } })).name}" is archived and read-only; unarchive it first.`, "CONFLICT");
    } finally {
      await t.db.rollout.update({ where: { id: rollout.id }, data: { archivedAt: null } });
    }
  });

  it("refuses a missing, too short or overlong reason with its own message, and changes nothing", async () => {
    const { decision } = await approvedByTwo();
    const why = "Say why you withdraw this decision (at least 3 characters): it goes on record and its author is told.";
    await refused("admin", { decisionId: decision.id }, why, "INVALID_INPUT");
    await refused("admin", { decisionId: decision.id, reason: "" }, why, "INVALID_INPUT");
    await refused("admin", { decisionId: decision.id, reason: "  ok   " }, why, "INVALID_INPUT");
    await refused("admin", { decisionId: decision.id, reason: "x".repeat(501) }, "The reason may have at most 500 characters.", "INVALID_INPUT");
  });

  it("refuses the admin's own decision (taken back as its author), one already withdrawn, and a decision that does not exist", async () => {
    const { signOff } = await approvedByTwo();
    await as("adminExecutive");
    const { decideSignOffAction, withdrawOthersDecisionAction } = await actions();
    expect((await decideSignOffAction(undefined, form({ signOffId: signOff.id, value: "APPROVE" }))).ok).toBe(true);
    const own = await t.db.signOffDecision.findFirstOrThrow({ where: { signOffId: signOff.id, userId: people.adminExecutive.id } });
    await refused("adminExecutive", { decisionId: own.id, reason: "Changed my mind" }, "This is your own decision: use “Withdraw my decision”.", "CONFLICT");

    const finance = await t.db.signOffDecision.findFirstOrThrow({ where: { signOffId: signOff.id, userId: people.finance.id } });
    await as("admin");
    expect((await withdrawOthersDecisionAction(undefined, form({ decisionId: finance.id, reason: "Approved on the old figures" }))).ok).toBe(true);
    await refused("admin", { decisionId: finance.id, reason: "Approved on the old figures" }, "This decision was already withdrawn.", "CONFLICT");
    await refused("admin", { decisionId: "no-such-decision", reason: "Approved on the old figures" }, "No such decision on this sign-off.", "NOT_FOUND");
  });
});
