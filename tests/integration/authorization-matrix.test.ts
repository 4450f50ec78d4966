import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { can, decideAction, type Action } from "@/lib/auth/permissions";
import { ALL_ROLES } from "@/lib/domain/roles";
import type { Role, SignOffKind } from "@/lib/generated/prisma/enums";
import type { ActionResult } from "@/lib/server/action";
import { createRollout, createUser, KNOWN_PASSWORD, unique } from "./helpers/factories";
import { sessionCookie, setRequest, requestState } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// Every server action and every route handler, called directly as every role of a
// rollout, as a member of another rollout only, and signed out: allowed or refused
// exactly as lib/auth/permissions.ts says, and a refused call changes nothing.

type Caller = { kind: "role"; role: Role } | { kind: "outsider" } | { kind: "signed-out" };
const CALLERS: Caller[] = [...ALL_ROLES.map((role) => ({ kind: "role" as const, role })), { kind: "outsider" }, { kind: "signed-out" }];
const label = (c: Caller) => (c.kind === "role" ? c.role : c.kind);

/**
 * Who may call it: one action of the permission table, or — when the answer also depends
 * on the subject (the item's owner role, the sign-off's required roles, …) — a rule over
 * the caller's roles in the rollout, built on `can()`.
 */
type Requirement = { action: Action } | ((roles: readonly Role[]) => boolean) | "signed-in" | "public";
type Fixture = { rolloutId: string; caller: { id: string } | null };
type Row = {
  requires: Requirement;
  /** Calls the endpoint with valid input and reports whether its effect happened. */
  run(fixture: Fixture): Promise<{ result: ActionResult | Response; effect: boolean }>;
};

let t: TestDb;
let rolloutId: string;
let otherRolloutId: string;

beforeAll(async () => {
  t = await createTestDb();
  rolloutId = (await createRollout(t.db)).id;
  otherRolloutId = (await createRollout(t.db)).id;
});
afterAll(async () => t?.close());

// Fresh subjects for the workflow rows, one per call, in the test rollout.
let position = 0;
const nextPosition = () => ++position;

const itemOwnedBy = (rolloutId: string, ownerRole: Role) =>
  t.db.checklistItem.create({ data: { rolloutId, list: "IMMEDIATE", position: nextPosition(), text: unique("item"), ownerRole } });

const signOffFor = (rolloutId: string, subject: { kind: SignOffKind; requiredRoles: Role[] }) =>
  t.db.signOff.create({ data: { rolloutId, position: nextPosition(), title: unique("sign-off"), ...subject } });

// The subjects the rows act on, chosen so that one role may and several may not.
const ITEM_OWNER: Role = "DBA";
// EXECUTIVE may decide budgets too, but is not among this sign-off's required roles.
const BUDGET_SIGN_OFF = { kind: "BUDGET" as const, requiredRoles: ["FINANCE" as Role] };
const READING_ROLE: Role = "DATA_ENGINEER";

const mayTick = (owner: Role) => (roles: readonly Role[]) =>
  can(roles, "item.tick.any") || (can(roles, "item.tick.own") && roles.includes(owner));
const mayEditItemDetails = (owner: Role) => (roles: readonly Role[]) =>
  can(roles, "plan.edit") || (can(roles, "item.tick.own") && roles.includes(owner));
const mayDecide = (signOff: { kind: SignOffKind; requiredRoles: readonly Role[] }) => (roles: readonly Role[]) =>
  can(roles, decideAction(signOff.kind)) && roles.some((role) => signOff.requiredRoles.includes(role));
const mayTrackReading = (entryRole: Role) => (roles: readonly Role[]) => can(roles, "reading.track") && roles.includes(entryRole);

function form(values: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) for (const v of [value].flat()) data.append(key, v);
  return data;
}

const MATRIX: Record<string, Row> = {
  "lib/actions/locale.ts#setLocale": {
    requires: "public",
    async run() {
      const { setLocale } = await import("@/lib/actions/locale");
      const result = await setLocale(form({ locale: "pt-BR" }));
      return { result, effect: requestState.cookies.get("NEXT_LOCALE") === "pt-BR" };
    },
  },
  "lib/actions/users.ts#createUserAction": {
    requires: { action: "users.manage" },
    async run({ rolloutId }) {
      const { createUserAction } = await import("@/lib/actions/users");
      const email = `${unique("new")}@example.test`;
      const result = await createUserAction(undefined, form({ email, name: "New Person", password: "a long enough pass", rolloutId, roles: ["DBA"] }));
      return { result, effect: (await t.db.user.count({ where: { email } })) === 1 };
    },
  },
  "lib/actions/users.ts#setMemberRolesAction": {
    requires: { action: "users.manage" },
    async run({ rolloutId }) {
      const { setMemberRolesAction } = await import("@/lib/actions/users");
      const target = await createUser(t.db, { rolloutId, roles: ["DBA"] });
      const result = await setMemberRolesAction(undefined, form({ userId: target.id, rolloutId, roles: ["DBA", "DEVOPS"] }));
      return { result, effect: (await t.db.rolloutMember.count({ where: { userId: target.id } })) === 2 };
    },
  },
  "lib/actions/users.ts#setUserActiveAction": {
    requires: { action: "users.manage" },
    async run({ rolloutId }) {
      const { setUserActiveAction } = await import("@/lib/actions/users");
      const target = await createUser(t.db, { rolloutId, roles: ["DBA"] });
      const result = await setUserActiveAction(undefined, form({ userId: target.id, active: "false" }));
      return { result, effect: !(await t.db.user.findUniqueOrThrow({ where: { id: target.id } })).active };
    },
  },
  "lib/actions/users.ts#changePasswordAction": {
    requires: "signed-in",
    async run({ caller }) {
      const { changePasswordAction } = await import("@/lib/actions/users");
      const before = caller ? await t.db.user.findUniqueOrThrow({ where: { id: caller.id }, omit: { passwordHash: false } }) : null;
      const result = await changePasswordAction(
        undefined,
        form({ currentPassword: KNOWN_PASSWORD, newPassword: "another long passphrase", confirmPassword: "another long passphrase" }),
      );
      const after = caller ? await t.db.user.findUniqueOrThrow({ where: { id: caller.id }, omit: { passwordHash: false } }) : null;
      return { result, effect: Boolean(before && after && before.passwordHash !== after.passwordHash) };
    },
  },
  "lib/actions/ledger.ts#checkDigestAction": {
    requires: { action: "audit.read" },
    async run({ rolloutId }) {
      const { checkDigestAction } = await import("@/lib/actions/ledger");
      const { makeDigest, verifyChain } = await import("@/lib/audit/verify");
      const digest = makeDigest(await verifyChain(t.db, rolloutId));
      const result = await checkDigestAction(undefined, form({ rolloutId, digest: JSON.stringify(digest) }));
      return { result, effect: result.ok && /unchanged/.test(result.message ?? "") };
    },
  },
  "lib/actions/ledger.ts#createCalendarTokenAction": {
    requires: { action: "plan.export" },
    async run({ rolloutId, caller }) {
      const { createCalendarTokenAction } = await import("@/lib/actions/ledger");
      const result = await createCalendarTokenAction(undefined, form({ rolloutId }));
      const live = caller ? await t.db.calendarToken.count({ where: { userId: caller.id, rolloutId, revokedAt: null } }) : 0;
      return { result, effect: live === 1 };
    },
  },
  "lib/actions/ledger.ts#revokeCalendarTokenAction": {
    requires: { action: "plan.export" },
    async run({ rolloutId, caller }) {
      const { revokeCalendarTokenAction } = await import("@/lib/actions/ledger");
      if (caller) await t.db.calendarToken.create({ data: { userId: caller.id, rolloutId, tokenHash: unique("hash") } });
      const result = await revokeCalendarTokenAction(undefined, form({ rolloutId }));
      const live = caller ? await t.db.calendarToken.count({ where: { userId: caller.id, rolloutId, revokedAt: null } }) : 1;
      return { result, effect: live === 0 };
    },
  },
  "app/(portal)/r/[slug]/export/items/route.ts#GET": {
    requires: { action: "plan.export" },
    async run({ rolloutId }) {
      const { GET } = await import("@/app/(portal)/r/[slug]/export/items/route");
      const { slug } = await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
      const result = await GET(new Request(`http://portal.test/r/${slug}/export/items`), { params: Promise.resolve({ slug }) });
      return { result, effect: result.status === 200 && (await result.clone().text()).includes("owner_role") };
    },
  },
  "app/(portal)/r/[slug]/export/sign-offs/route.ts#GET": {
    requires: { action: "plan.export" },
    async run({ rolloutId }) {
      const { GET } = await import("@/app/(portal)/r/[slug]/export/sign-offs/route");
      const { slug } = await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
      const result = await GET(new Request(`http://portal.test/r/${slug}/export/sign-offs`), { params: Promise.resolve({ slug }) });
      return { result, effect: result.status === 200 && (await result.clone().text()).includes("required_roles") };
    },
  },
  "app/(portal)/r/[slug]/ledger/digest/route.ts#GET": {
    requires: { action: "audit.read" },
    async run({ rolloutId }) {
      const { GET } = await import("@/app/(portal)/r/[slug]/ledger/digest/route");
      const { slug } = await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
      const result = await GET(new Request(`http://portal.test/r/${slug}/ledger/digest`), { params: Promise.resolve({ slug }) });
      return { result, effect: result.status === 200 && (await result.clone().text()).includes("greenlight-ledger-digest/1") };
    },
  },
  // The feed is read by calendar apps, which cannot sign in: the secret URL is the
  // credential, and it carries its owner's rights in the rollout.
  "app/api/calendar/[token]/route.ts#GET": {
    requires: { action: "plan.export" },
    async run({ rolloutId, caller }) {
      const { GET } = await import("@/app/api/calendar/[token]/route");
      const { createHash, randomBytes } = await import("node:crypto");
      const token = randomBytes(24).toString("base64url");
      if (caller) await t.db.calendarToken.create({ data: { userId: caller.id, rolloutId, tokenHash: createHash("sha256").update(token).digest("hex") } });
      const result = await GET(new Request(`http://portal.test/api/calendar/${token}.ics`), { params: Promise.resolve({ token: `${token}.ics` }) });
      return { result, effect: result.status === 200 && (await result.clone().text()).startsWith("BEGIN:VCALENDAR") };
    },
  },
  "lib/actions/workflows.ts#renameSignOffAction": {
    requires: { action: "plan.edit" },
    async run({ rolloutId }) {
      const { renameSignOffAction } = await import("@/lib/actions/workflows");
      const signOff = await signOffFor(rolloutId, { kind: "SECURITY_POLICY", requiredRoles: ["SECURITY_OFFICER"] });
      const result = await renameSignOffAction(undefined, form({ signOffId: signOff.id, version: "1", title: "Password rotation policy" }));
      return { result, effect: (await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).title === "Password rotation policy" };
    },
  },
  "app/api/health/route.ts#GET": {
    requires: "public",
    async run() {
      const { GET } = await import("@/app/api/health/route");
      const result = await GET(new Request(`${requestState.headers.get("origin") ?? "http://portal.test"}/api/health`));
      return { result, effect: result.status === 200 };
    },
  },
  "lib/actions/workflows.ts#updateItemStateAction": {
    requires: mayTick(ITEM_OWNER),
    async run({ rolloutId }) {
      const { updateItemStateAction } = await import("@/lib/actions/workflows");
      const item = await itemOwnedBy(rolloutId, ITEM_OWNER);
      const result = await updateItemStateAction(undefined, form({ itemId: item.id, version: String(item.version), state: "DONE" }));
      return { result, effect: (await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).state === "DONE" };
    },
  },
  "lib/actions/workflows.ts#updateItemEvidenceAction": {
    requires: mayTick(ITEM_OWNER),
    async run({ rolloutId }) {
      const { updateItemEvidenceAction } = await import("@/lib/actions/workflows");
      const item = await itemOwnedBy(rolloutId, ITEM_OWNER);
      const result = await updateItemEvidenceAction(undefined, form({ itemId: item.id, version: String(item.version), evidence: "https://wiki.example/proof" }));
      return { result, effect: (await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).evidence !== null };
    },
  },
  "lib/actions/workflows.ts#updateItemDetailsAction": {
    requires: mayEditItemDetails(ITEM_OWNER),
    async run({ rolloutId }) {
      const { updateItemDetailsAction } = await import("@/lib/actions/workflows");
      const item = await itemOwnedBy(rolloutId, ITEM_OWNER);
      const result = await updateItemDetailsAction(undefined, form({ itemId: item.id, version: String(item.version), dueAt: "2026-03-01" }));
      return { result, effect: (await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).dueAt !== null };
    },
  },
  "lib/actions/workflows.ts#decideSignOffAction": {
    requires: mayDecide(BUDGET_SIGN_OFF),
    async run({ rolloutId }) {
      const { decideSignOffAction } = await import("@/lib/actions/workflows");
      const signOff = await signOffFor(rolloutId, BUDGET_SIGN_OFF);
      const result = await decideSignOffAction(undefined, form({ signOffId: signOff.id, value: "APPROVE" }));
      return { result, effect: (await t.db.signOffDecision.count({ where: { signOffId: signOff.id } })) === 1 };
    },
  },
  // Withdrawing changes the sign-off's outcome as much as deciding does, so it takes the
  // same right. The caller's standing approval is given by the fixture, as if decided
  // while they still held a deciding role.
  "lib/actions/workflows.ts#withdrawDecisionAction": {
    requires: mayDecide(BUDGET_SIGN_OFF),
    async run({ rolloutId, caller }) {
      const { withdrawDecisionAction } = await import("@/lib/actions/workflows");
      const signOff = await signOffFor(rolloutId, BUDGET_SIGN_OFF);
      if (caller) await t.db.signOffDecision.create({ data: { signOffId: signOff.id, userId: caller.id, role: "FINANCE", value: "APPROVE" } });
      const result = await withdrawDecisionAction(undefined, form({ signOffId: signOff.id }));
      return { result, effect: (await t.db.signOffDecision.count({ where: { signOffId: signOff.id, withdrawnAt: { not: null } } })) === 1 };
    },
  },
  "lib/actions/workflows.ts#transitionPhaseAction": {
    requires: { action: "phase.transition" },
    async run({ rolloutId }) {
      const { transitionPhaseAction } = await import("@/lib/actions/workflows");
      // In progress with nothing on its gate, so completing it is only a question of who asks.
      const phase = await t.db.phase.create({ data: { rolloutId, position: nextPosition(), name: unique("phase"), status: "IN_PROGRESS" } });
      const result = await transitionPhaseAction(undefined, form({ phaseId: phase.id, version: String(phase.version), transition: "complete" }));
      return { result, effect: (await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } })).status === "DONE" };
    },
  },
  "lib/actions/workflows.ts#markReadAction": {
    requires: mayTrackReading(READING_ROLE),
    async run({ rolloutId }) {
      const { markReadAction } = await import("@/lib/actions/workflows");
      const document = await t.db.document.create({ data: { rolloutId, key: unique("doc"), title: "Runbook" } });
      const entry = await t.db.readingListEntry.create({ data: { rolloutId, role: READING_ROLE, documentId: document.id, position: nextPosition(), minutes: 10 } });
      const result = await markReadAction(undefined, form({ entryId: entry.id, read: "true" }));
      return { result, effect: (await t.db.readState.count({ where: { entryId: entry.id } })) === 1 };
    },
  },
  "lib/actions/workflows.ts#verifyCriterionAction": {
    requires: { action: "criteria.verify" },
    async run({ rolloutId }) {
      const { verifyCriterionAction } = await import("@/lib/actions/workflows");
      const criterion = await t.db.successCriterion.create({ data: { rolloutId, group: "OPERATIONS", position: nextPosition(), text: "On-call rota staffed" } });
      const result = await verifyCriterionAction(undefined, form({ criterionId: criterion.id, version: String(criterion.version), verified: "true", note: "rota signed" }));
      return { result, effect: (await t.db.successCriterion.findUniqueOrThrow({ where: { id: criterion.id } })).verifiedAt !== null };
    },
  },
  // next-auth's own endpoints (sign-in, callback, sign-out, session, CSRF) are public by
  // design; their behaviour is proven over HTTP in tests/e2e/auth.spec.ts, and the
  // password check behind them in tests/integration/sign-in.test.ts.
  "app/api/auth/[...nextauth]/route.ts#GET": { requires: "public", run: nextAuthRow("GET") },
  "app/api/auth/[...nextauth]/route.ts#POST": { requires: "public", run: nextAuthRow("POST") },
};

function nextAuthRow(method: "GET" | "POST") {
  return async () => {
    const route = await import("@/app/api/auth/[...nextauth]/route");
    return { result: new Response(null, { status: typeof route[method] === "function" ? 200 : 500 }), effect: true };
  };
}

function expected(requirement: Requirement, caller: Caller): boolean {
  if (requirement === "public") return true;
  if (caller.kind === "signed-out") return false;
  if (requirement === "signed-in") return true;
  // The outsider holds no role in this rollout.
  const roles = caller.kind === "role" ? [caller.role] : [];
  return typeof requirement === "function" ? requirement(roles) : can(roles, requirement.action);
}

function outcome(result: ActionResult | Response): "allowed" | "refused" {
  if (result instanceof Response) return result.status < 400 ? "allowed" : "refused";
  if (result.ok) return "allowed";
  if (["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"].includes(result.code)) return "refused";
  throw new Error(`Unexpected failure (fixture problem, not an authorization answer): ${result.code} ${result.message}`);
}

function listFiles(dir: string, match: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, match) : match(path) ? [path] : [];
  });
}

describe("authorization matrix", () => {
  it("has a row for every server action and every route handler", async () => {
    const endpoints: string[] = [];
    for (const file of listFiles("lib/actions", (p) => p.endsWith(".ts"))) {
      const exports = Object.keys(await import(/* @vite-ignore */ `@/${file}`));
      endpoints.push(...exports.map((name) => `${file}#${name}`));
    }
    for (const file of listFiles("app", (p) => /\/route\.ts$/.test(p))) {
      const exports = Object.keys(await import(/* @vite-ignore */ `@/${relative(".", file)}`));
      endpoints.push(...exports.filter((name) => /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(name)).map((name) => `${file}#${name}`));
    }
    expect(endpoints.sort()).toEqual(Object.keys(MATRIX).sort());
  });

  for (const [endpoint, row] of Object.entries(MATRIX)) {
    it(`${endpoint} answers every caller as the permission table says`, async () => {
      const cells: string[] = [];
      for (const caller of CALLERS) {
        let user: { id: string; sessionVersion: number } | null = null;
        if (caller.kind === "role") user = await createUser(t.db, { rolloutId, roles: [caller.role] });
        // The outsider holds every role, but in another rollout.
        if (caller.kind === "outsider") user = await createUser(t.db, { rolloutId: otherRolloutId, roles: [...ALL_ROLES] });
        setRequest({ cookie: user ? await sessionCookie(user) : null });
        const { result, effect } = await row.run({ rolloutId, caller: user });
        const got = outcome(result);
        const want = expected(row.requires, caller) ? "allowed" : "refused";
        if (got !== want) cells.push(`${label(caller)}: expected ${want}, got ${got}`);
        if (effect !== (got === "allowed")) cells.push(`${label(caller)}: ${got} but the effect ${effect ? "happened" : "did not happen"}`);
      }
      expect(cells).toEqual([]);
    });
  }
});
