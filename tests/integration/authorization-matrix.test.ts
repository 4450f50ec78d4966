import { createHash, randomBytes } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isAppError } from "@/lib/errors";
import type { Role, SignOffKind } from "@/lib/generated/prisma/enums";
import type { ActionResult } from "@/lib/server/action";
import { CALLERS, EXPECTED, type Caller } from "./expected-permissions";
import { createRollout, createUser, criterionGroupId, KNOWN_PASSWORD, unique } from "./helpers/factories";
import { requestState, sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// Every server action, every route handler and every data-layer read behind a page,
// called directly (with a real session cookie) by every caller of ./expected-permissions:
// each role, callers holding two roles, a member of another rollout, and nobody. The
// answer must be the one written there by hand. A refused call must change nothing in
// the database (every table compared before and after) and write no audit event.

// ── the harness ─────────────────────────────────────────────────────────────────────

type User = { id: string; sessionVersion: number };
type Ctx = { rolloutId: string; slug: string; otherRolloutId: string; caller: User | null };

/**
 * How to call one endpoint with valid input. `setup` makes the subject (before the
 * database is fingerprinted); `effect` says whether the write happened, or — for a read —
 * whether this rollout's data came back.
 */
type Runner<S = unknown> = {
  kind: "act" | "read";
  setup?: (ctx: Ctx) => Promise<S>;
  call: (ctx: Ctx, subject: S) => Promise<unknown>;
  effect: (ctx: Ctx, subject: S, result: unknown) => Promise<boolean> | boolean;
};
const act = <S>(runner: Omit<Runner<S>, "kind">): Runner => ({ kind: "act", ...runner }) as Runner;
const read = <S>(runner: Omit<Runner<S>, "kind">): Runner => ({ kind: "read", ...runner }) as Runner;

let t: TestDb;
let rolloutId: string;
let slug: string;
let otherRolloutId: string;
/** Subjects the reads look for, made once. */
const fixture = { documentId: "", signOffId: "", memberId: "" };

const REFUSAL_CODES = ["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"];

function isRefusal(error: unknown): boolean {
  if (REFUSAL_CODES.some((code) => isAppError(error, code as never))) return true;
  // A page's requirePageActor() sends a signed-out visitor to the sign-in page.
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && digest.startsWith("NEXT_REDIRECT") && digest.includes("/sign-in");
}

/** "allowed" or "refused", from what the endpoint answered; anything else is a fixture problem. */
function outcomeOf(kind: Runner["kind"], result: unknown, effect: boolean): "allowed" | "refused" {
  if (kind === "read") return effect ? "allowed" : "refused";
  if (result instanceof Response) {
    if (result.status >= 500) throw new Error(`Server error ${result.status}`);
    return result.status < 400 ? "allowed" : "refused";
  }
  const action = result as ActionResult;
  if (action.ok) return "allowed";
  if (REFUSAL_CODES.includes(action.code)) return "refused";
  throw new Error(`Unexpected failure (fixture problem, not an authorization answer): ${action.code} ${action.message}`);
}

let tables: string[] = [];
const EVENT_TABLES = ["AuditEvent", "SecurityEvent"];

/** One hash per table of every row, in one statement: "nothing changed" means all equal. */
async function fingerprint(): Promise<Record<string, string>> {
  const sql = tables
    .map((table) => `SELECT '${table}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${table}" x`)
    .join(" UNION ALL ");
  const rows = await t.db.$queryRawUnsafe<{ t: string; h: string }[]>(sql);
  return Object.fromEntries(rows.map((row) => [row.t, row.h]));
}

async function eventCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of EVENT_TABLES.filter((name) => tables.includes(name))) {
    const [{ n }] = await t.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${table}"`);
    counts[table] = n;
  }
  return counts;
}

async function callerFor(caller: Caller): Promise<User | null> {
  if (caller === "signed-out") return null;
  // The outsider holds every role, but in another rollout.
  if (caller === "outsider") {
    return createUser(t.db, {
      rolloutId: otherRolloutId,
      roles: ["EXECUTIVE", "DEV_LEAD", "OPS_MANAGER", "DEVOPS", "DBA", "DATA_ENGINEER", "SECURITY_OFFICER", "FINANCE", "ADMIN", "VIEWER"],
    });
  }
  return createUser(t.db, { rolloutId, roles: caller.split("+") as Role[] });
}

// ── fixtures ────────────────────────────────────────────────────────────────────────

let position = 0;
const nextPosition = () => ++position;

function form(values: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) for (const v of [value].flat()) data.append(key, v);
  return data;
}

const itemOwnedBy = (ownerRole: Role) =>
  t.db.checklistItem.create({ data: { rolloutId, list: "IMMEDIATE", position: nextPosition(), text: unique("item"), ownerRole } });

const signOffFor = (kind: SignOffKind, requiredRoles: Role[]) =>
  t.db.signOff.create({ data: { rolloutId, position: nextPosition(), title: unique("sign-off"), kind, requiredRoles } });

const readingEntryFor = async (role: Role) => {
  const document = await t.db.document.create({ data: { rolloutId, key: unique("doc"), title: "Runbook" } });
  return t.db.readingListEntry.create({ data: { rolloutId, role, documentId: document.id, position: nextPosition(), minutes: 10 } });
};

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** The signed-in person as a page gets them: the real session check (signed out: redirected). */
async function pageActor() {
  const { requirePageActor } = await import("@/lib/auth/session");
  return requirePageActor();
}

const routeContext = <P>(params: P) => ({ params: Promise.resolve(params) });

const decide = (kind: SignOffKind, requiredRoles: Role[]) =>
  act({
    setup: () => signOffFor(kind, requiredRoles),
    async call(_ctx, signOff) {
      const { decideSignOffAction } = await import("@/lib/actions/workflows");
      return decideSignOffAction(undefined, form({ signOffId: signOff.id, value: "APPROVE" }));
    },
    effect: async (_ctx, signOff) => (await t.db.signOffDecision.count({ where: { signOffId: signOff.id } })) === 1,
  });

const tick = (ownerRole: Role) =>
  act({
    setup: () => itemOwnedBy(ownerRole),
    async call(_ctx, item) {
      const { updateItemStateAction } = await import("@/lib/actions/workflows");
      return updateItemStateAction(undefined, form({ itemId: item.id, version: String(item.version), state: "DONE" }));
    },
    effect: async (_ctx, item) => (await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).state === "DONE",
  });

const markRead = (role: Role) =>
  act({
    setup: () => readingEntryFor(role),
    async call(_ctx, entry) {
      const { markReadAction } = await import("@/lib/actions/workflows");
      return markReadAction(undefined, form({ entryId: entry.id, read: "true" }));
    },
    effect: async (_ctx, entry) => (await t.db.readState.count({ where: { entryId: entry.id } })) === 1,
  });

/** A page read by slug whose answer names its rollout. */
const rolloutRead = (load: (actor: Awaited<ReturnType<typeof pageActor>>, slug: string) => Promise<{ rollout: { id: string } }>) =>
  read({
    call: async (ctx) => load(await pageActor(), ctx.slug),
    effect: (ctx, _s, result) => (result as { rollout: { id: string } } | undefined)?.rollout.id === ctx.rolloutId,
  });

// ── the runners, one per line of EXPECTED ─────────────────────────────────────────

const RUNNERS: Record<string, Runner> = {
  "lib/actions/locale.ts#setLocale": act({
    async call() {
      const { setLocale } = await import("@/lib/actions/locale");
      return setLocale(undefined, form({ locale: "pt-BR" }));
    },
    effect: () => requestState.cookies.get("NEXT_LOCALE") === "pt-BR",
  }),
  "lib/actions/users.ts#createUserAction": act({
    setup: async () => `${unique("new")}@example.test`,
    async call(ctx, email) {
      const { createUserAction } = await import("@/lib/actions/users");
      return createUserAction(undefined, form({ email, name: "New Person", password: "a long enough pass", rolloutId: ctx.rolloutId, roles: ["DBA"] }));
    },
    effect: async (_ctx, email) => (await t.db.user.count({ where: { email } })) === 1,
  }),
  "lib/actions/users.ts#setMemberRolesAction": act({
    setup: (ctx) => createUser(t.db, { rolloutId: ctx.rolloutId, roles: ["DBA"] }),
    async call(ctx, target) {
      const { setMemberRolesAction } = await import("@/lib/actions/users");
      return setMemberRolesAction(undefined, form({ userId: target.id, rolloutId: ctx.rolloutId, roles: ["DBA", "DEVOPS"] }));
    },
    effect: async (_ctx, target) => (await t.db.rolloutMember.count({ where: { userId: target.id } })) === 2,
  }),
  "lib/actions/users.ts#setUserActiveAction [a member of this rollout]": act({
    setup: (ctx) => createUser(t.db, { rolloutId: ctx.rolloutId, roles: ["DBA"] }),
    async call(_ctx, target) {
      const { setUserActiveAction } = await import("@/lib/actions/users");
      return setUserActiveAction(undefined, form({ userId: target.id, active: "false" }));
    },
    effect: async (_ctx, target) => !(await t.db.user.findUniqueOrThrow({ where: { id: target.id } })).active,
  }),
  "lib/actions/users.ts#changePasswordAction [own password]": act({
    setup: async (ctx) => (ctx.caller ? (await t.db.user.findUniqueOrThrow({ where: { id: ctx.caller.id }, omit: { passwordHash: false } })).passwordHash : null),
    async call() {
      const { changePasswordAction } = await import("@/lib/actions/users");
      const next = "another long passphrase";
      return changePasswordAction(undefined, form({ currentPassword: KNOWN_PASSWORD, newPassword: next, confirmPassword: next }));
    },
    async effect(ctx, before) {
      if (!ctx.caller) return false;
      const after = await t.db.user.findUniqueOrThrow({ where: { id: ctx.caller.id }, omit: { passwordHash: false } });
      return after.passwordHash !== before;
    },
  }),
  "lib/actions/sessions.ts#signOutEverywhereAction [own sessions]": act({
    setup: async (ctx) => (ctx.caller ? (await t.db.user.findUniqueOrThrow({ where: { id: ctx.caller.id } })).sessionVersion : null),
    async call() {
      const { signOutEverywhereAction } = await import("@/lib/actions/sessions");
      return signOutEverywhereAction(undefined, form({}));
    },
    async effect(ctx, before) {
      if (!ctx.caller || before === null) return false;
      return (await t.db.user.findUniqueOrThrow({ where: { id: ctx.caller.id } })).sessionVersion === before + 1;
    },
  }),
  "lib/actions/ledger.ts#checkDigestAction": act({
    async setup(ctx) {
      const { makeDigest, verifyChain } = await import("@/lib/audit/verify");
      return makeDigest(await verifyChain(t.db, ctx.rolloutId));
    },
    async call(ctx, digest) {
      const { checkDigestAction } = await import("@/lib/actions/ledger");
      return checkDigestAction(undefined, form({ rolloutId: ctx.rolloutId, digest: JSON.stringify(digest) }));
    },
    // A check writes nothing: its effect is the answer that the ledger holds.
    effect: (_ctx, _digest, result) => (result as ActionResult).ok === true && /unchanged/.test((result as { message?: string }).message ?? ""),
  }),
  "lib/actions/ledger.ts#createCalendarTokenAction": act({
    async call(ctx) {
      const { createCalendarTokenAction } = await import("@/lib/actions/ledger");
      return createCalendarTokenAction(undefined, form({ rolloutId: ctx.rolloutId }));
    },
    effect: async (ctx) => (ctx.caller ? await t.db.calendarToken.count({ where: { userId: ctx.caller.id, rolloutId: ctx.rolloutId, revokedAt: null } }) : 0) === 1,
  }),
  "lib/actions/ledger.ts#revokeCalendarTokenAction": act({
    async setup(ctx) {
      if (ctx.caller) await t.db.calendarToken.create({ data: { userId: ctx.caller.id, rolloutId: ctx.rolloutId, tokenHash: unique("hash") } });
    },
    async call(ctx) {
      const { revokeCalendarTokenAction } = await import("@/lib/actions/ledger");
      return revokeCalendarTokenAction(undefined, form({ rolloutId: ctx.rolloutId }));
    },
    effect: async (ctx) => Boolean(ctx.caller) && (await t.db.calendarToken.count({ where: { userId: ctx.caller!.id, rolloutId: ctx.rolloutId, revokedAt: null } })) === 0,
  }),
  "lib/actions/workflows.ts#renameSignOffAction": act({
    setup: () => signOffFor("SECURITY_POLICY", ["SECURITY_OFFICER"]),
    async call(_ctx, signOff) {
      const { renameSignOffAction } = await import("@/lib/actions/workflows");
      return renameSignOffAction(undefined, form({ signOffId: signOff.id, version: "1", title: "Password rotation policy" }));
    },
    effect: async (_ctx, signOff) => (await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).title === "Password rotation policy",
  }),
  "lib/actions/workflows.ts#updateItemStateAction [item owned by DBA]": tick("DBA"),
  "lib/actions/workflows.ts#updateItemStateAction [item owned by SECURITY_OFFICER]": tick("SECURITY_OFFICER"),
  "lib/actions/workflows.ts#updateItemDetailsAction [item owned by DBA]": act({
    setup: () => itemOwnedBy("DBA"),
    async call(_ctx, item) {
      const { updateItemDetailsAction } = await import("@/lib/actions/workflows");
      return updateItemDetailsAction(undefined, form({ itemId: item.id, version: String(item.version), dueAt: "2026-03-01" }));
    },
    effect: async (_ctx, item) => (await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).dueAt !== null,
  }),
  "lib/actions/checklist.ts#listItemAssigneesAction [item owned by DBA]": read({
    setup: () => itemOwnedBy("DBA"),
    async call(_ctx, item) {
      const { listItemAssigneesAction } = await import("@/lib/actions/checklist");
      return listItemAssigneesAction({ itemId: item.id });
    },
    // The people of this rollout came back (the fixture's member is one of them).
    effect: (_ctx, _item, result) => {
      const answer = result as ActionResult<{ id: string }[]>;
      return answer.ok && Boolean(answer.data?.some((person) => person.id === fixture.memberId));
    },
  }),
  "lib/actions/checklist.ts#listAssignedPeopleAction": read({
    setup: () => t.db.checklistItem.create({ data: { rolloutId, list: "IMMEDIATE", position: nextPosition(), text: unique("item"), assigneeId: fixture.memberId } }),
    async call(ctx) {
      const { listAssignedPeopleAction } = await import("@/lib/actions/checklist");
      return listAssignedPeopleAction({ slug: ctx.slug });
    },
    // This rollout's assignees came back (the fixture's member has an item).
    effect: (_ctx, _item, result) => {
      const answer = result as ActionResult<{ id: string }[]>;
      return answer.ok && Boolean(answer.data?.some((person) => person.id === fixture.memberId));
    },
  }),
  "lib/actions/workflows.ts#updateItemEvidenceAction [item owned by DBA]": act({
    setup: () => itemOwnedBy("DBA"),
    async call(_ctx, item) {
      const { updateItemEvidenceAction } = await import("@/lib/actions/workflows");
      return updateItemEvidenceAction(undefined, form({ itemId: item.id, version: String(item.version), evidence: "https://wiki.example/proof" }));
    },
    effect: async (_ctx, item) => (await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).evidence !== null,
  }),
  "lib/actions/workflows.ts#decideSignOffAction [BUDGET, required FINANCE]": decide("BUDGET", ["FINANCE"]),
  "lib/actions/workflows.ts#decideSignOffAction [PRODUCTION_DEPLOYMENT, required EXECUTIVE, DEV_LEAD]": decide("PRODUCTION_DEPLOYMENT", ["EXECUTIVE", "DEV_LEAD"]),
  "lib/actions/workflows.ts#decideSignOffAction [SECURITY_POLICY, required SECURITY_OFFICER]": decide("SECURITY_POLICY", ["SECURITY_OFFICER"]),
  // The caller's standing approval is given by the fixture, as if decided while they
  // still held a deciding role.
  "lib/actions/workflows.ts#withdrawDecisionAction [BUDGET, required FINANCE]": act({
    async setup(ctx) {
      const signOff = await signOffFor("BUDGET", ["FINANCE"]);
      if (ctx.caller) await t.db.signOffDecision.create({ data: { signOffId: signOff.id, userId: ctx.caller.id, role: "FINANCE", value: "APPROVE" } });
      return signOff;
    },
    async call(_ctx, signOff) {
      const { withdrawDecisionAction } = await import("@/lib/actions/workflows");
      return withdrawDecisionAction(undefined, form({ signOffId: signOff.id }));
    },
    effect: async (_ctx, signOff) => (await t.db.signOffDecision.count({ where: { signOffId: signOff.id, withdrawnAt: { not: null } } })) === 1,
  }),
  // Someone else's standing approval (a FINANCE member's, made by the fixture): only a
  // rollout admin may take it back, with a reason.
  "lib/actions/workflows.ts#withdrawOthersDecisionAction [BUDGET, required FINANCE, another member's decision]": act({
    async setup(ctx) {
      const signOff = await signOffFor("BUDGET", ["FINANCE"]);
      const author = await createUser(t.db, { rolloutId: ctx.rolloutId, roles: ["FINANCE"] });
      return t.db.signOffDecision.create({ data: { signOffId: signOff.id, userId: author.id, role: "FINANCE", value: "APPROVE" } });
    },
    async call(_ctx, decision) {
      const { withdrawOthersDecisionAction } = await import("@/lib/actions/workflows");
      return withdrawOthersDecisionAction(undefined, form({ decisionId: decision.id, reason: "Approved the wrong budget line" }));
    },
    effect: async (_ctx, decision) => (await t.db.signOffDecision.findUniqueOrThrow({ where: { id: decision.id } })).withdrawnAt !== null,
  }),
  // In progress with nothing on its gate, so completing it is only a question of who asks.
  "lib/actions/workflows.ts#transitionPhaseAction [complete, gate open]": act({
    setup: () => t.db.phase.create({ data: { rolloutId, position: nextPosition(), name: unique("phase"), status: "IN_PROGRESS" } }),
    async call(_ctx, phase) {
      const { transitionPhaseAction } = await import("@/lib/actions/workflows");
      return transitionPhaseAction(undefined, form({ phaseId: phase.id, version: String(phase.version), transition: "complete" }));
    },
    effect: async (_ctx, phase) => (await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } })).status === "DONE",
  }),
  "lib/actions/workflows.ts#transitionPhaseAction [complete, gate closed, override]": act({
    async setup() {
      const phase = await t.db.phase.create({ data: { rolloutId, position: nextPosition(), name: unique("phase"), status: "IN_PROGRESS" } });
      await t.db.checklistItem.create({ data: { rolloutId, phaseId: phase.id, list: "PHASE", position: nextPosition(), text: unique("open item"), ownerRole: "DBA" } });
      return phase;
    },
    async call(_ctx, phase) {
      const { transitionPhaseAction } = await import("@/lib/actions/workflows");
      return transitionPhaseAction(undefined, form({ phaseId: phase.id, version: String(phase.version), transition: "complete", override: "true", reason: "Pilot starts Monday" }));
    },
    effect: async (_ctx, phase) => (await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } })).overriddenAt !== null,
  }),
  "lib/actions/workflows.ts#markReadAction [DATA_ENGINEER's list]": markRead("DATA_ENGINEER"),
  "lib/actions/workflows.ts#markReadAction [VIEWER's list]": markRead("VIEWER"),
  "lib/actions/workflows.ts#verifyCriterionAction": act({
    setup: async () => t.db.successCriterion.create({ data: { rolloutId, groupId: await criterionGroupId(t.db, rolloutId), position: nextPosition(), text: "On-call rota staffed" } }),
    async call(_ctx, criterion) {
      const { verifyCriterionAction } = await import("@/lib/actions/workflows");
      return verifyCriterionAction(undefined, form({ criterionId: criterion.id, version: String(criterion.version), verified: "true", note: "rota signed" }));
    },
    effect: async (_ctx, criterion) => (await t.db.successCriterion.findUniqueOrThrow({ where: { id: criterion.id } })).verifiedAt !== null,
  }),

  "app/(portal)/r/[slug]/export/items/route.ts#GET": act({
    async call(ctx) {
      const { GET } = await import("@/app/(portal)/r/[slug]/export/items/route");
      return GET(new Request(`http://portal.test/r/${ctx.slug}/export/items`), routeContext({ slug: ctx.slug }));
    },
    effect: async (_ctx, _s, result) => (result as Response).status === 200 && (await (result as Response).clone().text()).includes("owner_role"),
  }),
  "app/(portal)/r/[slug]/export/sign-offs/route.ts#GET": act({
    async call(ctx) {
      const { GET } = await import("@/app/(portal)/r/[slug]/export/sign-offs/route");
      return GET(new Request(`http://portal.test/r/${ctx.slug}/export/sign-offs`), routeContext({ slug: ctx.slug }));
    },
    effect: async (_ctx, _s, result) => (result as Response).status === 200 && (await (result as Response).clone().text()).includes("required_roles"),
  }),
  "app/(portal)/r/[slug]/export/plan/route.ts#GET": act({
    async call(ctx) {
      const { GET } = await import("@/app/(portal)/r/[slug]/export/plan/route");
      return GET(new Request(`http://portal.test/r/${ctx.slug}/export/plan`), routeContext({ slug: ctx.slug }));
    },
    effect: async (_ctx, _s, result) => (result as Response).status === 200 && (await (result as Response).clone().text()).startsWith("# "),
  }),
  "app/(portal)/r/[slug]/ledger/digest/route.ts#GET": act({
    async call(ctx) {
      const { GET } = await import("@/app/(portal)/r/[slug]/ledger/digest/route");
      return GET(new Request(`http://portal.test/r/${ctx.slug}/ledger/digest`), routeContext({ slug: ctx.slug }));
    },
    effect: async (_ctx, _s, result) => (result as Response).status === 200 && (await (result as Response).clone().text()).includes("greenlight-ledger-digest/1"),
  }),
  "app/api/calendar/[token]/route.ts#GET [the caller's own link]": act({
    async setup(ctx) {
      const token = randomBytes(24).toString("base64url");
      if (ctx.caller) await t.db.calendarToken.create({ data: { userId: ctx.caller.id, rolloutId: ctx.rolloutId, tokenHash: hashToken(token) } });
      return token;
    },
    async call(_ctx, token) {
      const { GET } = await import("@/app/api/calendar/[token]/route");
      return GET(new Request(`http://portal.test/api/calendar/${token}.ics`), routeContext({ token: `${token}.ics` }));
    },
    effect: async (_ctx, _s, result) => (result as Response).status === 200 && (await (result as Response).clone().text()).startsWith("BEGIN:VCALENDAR"),
  }),
  "app/api/health/route.ts#GET": act({
    async call() {
      const { GET } = await import("@/app/api/health/route");
      return GET(new Request("http://portal.test/api/health"));
    },
    effect: (_ctx, _s, result) => (result as Response).status === 200,
  }),

  "app/api/r/[slug]/events/route.ts#GET": act({
    async call(ctx) {
      const { GET } = await import("@/app/api/r/[slug]/events/route");
      // The client leaves at once: the answer's status and type say whether it was let in.
      const leave = new AbortController();
      const response = await GET(new Request(`http://portal.test/api/r/${ctx.slug}/events`, { signal: leave.signal }), routeContext({ slug: ctx.slug }));
      leave.abort();
      return response;
    },
    effect: (_ctx, _s, result) => (result as Response).status === 200 && (result as Response).headers.get("content-type") === "text/event-stream; charset=utf-8",
  }),
  "lib/dal/live.ts#openLiveFeed": read({
    call: async (ctx) => (await import("@/lib/dal/live")).openLiveFeed(await pageActor(), ctx.slug),
    effect: (ctx, _s, result) => (result as { rolloutId: string } | undefined)?.rolloutId === ctx.rolloutId,
  }),
  // The fixture's rollout has a recorded event: a member reads its sequence number.
  "lib/dal/live.ts#readLiveEvents": read({
    call: async (ctx) => (await import("@/lib/dal/live")).readLiveEvents(await pageActor(), ctx.rolloutId, 0),
    effect: (_ctx, _s, result) => Array.isArray(result) && result.length > 0,
  }),
  "lib/dal/overview.ts#getRolloutOverview": rolloutRead(async (actor, slug) => (await import("@/lib/dal/overview")).getRolloutOverview(actor, slug)),
  "lib/dal/snapshot.ts#loadRolloutSnapshot": rolloutRead(async (actor, slug) => (await import("@/lib/dal/snapshot")).loadRolloutSnapshot(actor, slug)),
  "lib/dal/timeline.ts#getTimeline": rolloutRead(async (actor, slug) => (await import("@/lib/dal/timeline")).getTimeline(actor, slug)),
  "lib/dal/timeline.ts#getBurnDown": rolloutRead(async (actor, slug) => (await import("@/lib/dal/timeline")).getBurnDown(actor, slug)),
  "lib/dal/dashboard.ts#getRoleDashboard [the DBA dashboard]": rolloutRead(async (actor, slug) => (await import("@/lib/dal/dashboard")).getRoleDashboard(actor, slug, "dba")),
  "lib/dal/dashboard.ts#getRoleDashboard [the executive dashboard]": rolloutRead(async (actor, slug) => (await import("@/lib/dal/dashboard")).getRoleDashboard(actor, slug, "executive")),
  "lib/dal/dashboard.ts#getRoleDashboard [the security dashboard]": rolloutRead(async (actor, slug) => (await import("@/lib/dal/dashboard")).getRoleDashboard(actor, slug, "security")),
  "lib/dal/dashboard.ts#getRoleDashboard [the operations dashboard]": rolloutRead(async (actor, slug) => (await import("@/lib/dal/dashboard")).getRoleDashboard(actor, slug, "operations")),
  "lib/dal/documents.ts#listDocuments": rolloutRead(async (actor, slug) => (await import("@/lib/dal/documents")).listDocuments(actor, slug)),
  "lib/dal/criteria-list.ts#listCriteria": rolloutRead(async (actor, slug) => (await import("@/lib/dal/criteria-list")).listCriteria(actor, slug)),
  "lib/dal/contacts.ts#listContacts": rolloutRead(async (actor, slug) => (await import("@/lib/dal/contacts")).listContacts(actor, slug)),
  "lib/dal/activity.ts#listActivity": rolloutRead(async (actor, slug) => (await import("@/lib/dal/activity")).listActivity(actor, slug)),
  "lib/dal/calendar.ts#calendarForMember": rolloutRead(async (actor, slug) => (await import("@/lib/dal/calendar")).calendarForMember(actor, slug)),
  "lib/dal/documents.ts#getDocumentForPage": read({
    call: async (ctx) => (await import("@/lib/dal/documents")).getDocumentForPage(await pageActor(), ctx.slug, fixture.documentId),
    effect: (_ctx, _s, result) => (result as { document: { id: string } } | undefined)?.document.id === fixture.documentId,
  }),
  "lib/dal/reading.ts#getDocument": read({
    call: async () => (await import("@/lib/dal/reading")).getDocument(await pageActor(), fixture.documentId),
    effect: (_ctx, _s, result) => (result as { document: { id: string } } | undefined)?.document.id === fixture.documentId,
  }),
  "lib/dal/sign-offs.ts#getSignOffDetail [decisions and comments]": read({
    call: async () => (await import("@/lib/dal/sign-offs")).getSignOffDetail(await pageActor(), fixture.signOffId),
    effect: (_ctx, _s, result) => Boolean((result as { decisions: { comment: string | null }[] } | undefined)?.decisions.some((d) => d.comment === "Within budget")),
  }),
  "lib/dal/ledger.ts#getDecisionEvidence": read({
    call: async (ctx) => (await import("@/lib/dal/ledger")).getDecisionEvidence(await pageActor(), ctx.rolloutId, [fixture.signOffId]),
    effect: (_ctx, _s, result) => Boolean((result as { events: { targetId: string | null }[] } | undefined)?.events.some((e) => e.targetId === fixture.signOffId)),
  }),
  "lib/dal/checklist.ts#getChecklistPage": rolloutRead(async (actor, slug) => (await import("@/lib/dal/checklist")).getChecklistPage(actor, slug, {}, 1)),
  "lib/dal/ledger.ts#getPhaseCertificate": rolloutRead(async (actor, slug) => {
    const phase = (await t.db.phase.findFirst({ where: { rolloutId }, orderBy: { position: "asc" } })) ?? (await t.db.phase.create({ data: { rolloutId, position: nextPosition(), name: unique("phase") } }));
    return (await import("@/lib/dal/ledger")).getPhaseCertificate(actor, slug, phase.position);
  }),
  "lib/dal/gate-pages.ts#getPhasePage": rolloutRead(async (actor, slug) => {
    const phase = (await t.db.phase.findFirst({ where: { rolloutId }, orderBy: { position: "asc" } })) ?? (await t.db.phase.create({ data: { rolloutId, position: nextPosition(), name: unique("phase") } }));
    return (await import("@/lib/dal/gate-pages")).getPhasePage(actor, slug, phase.position);
  }),
  "lib/dal/gate-pages.ts#getGoNoGoPage": rolloutRead(async (actor, slug) => (await import("@/lib/dal/gate-pages")).getGoNoGoPage(actor, slug)),
  "lib/dal/gate-pages.ts#getRolloutSummary": rolloutRead(async (actor, slug) => (await import("@/lib/dal/gate-pages")).getRolloutSummary(actor, slug)),
  "lib/dal/ledger.ts#getLedgerReport": read({
    call: async (ctx) => (await import("@/lib/dal/ledger")).getLedgerReport(await pageActor(), ctx.rolloutId),
    effect: (ctx, _s, result) => {
      const report = (result as { report: { rolloutId: string | null; count: number } } | undefined)?.report;
      return report?.rolloutId === ctx.rolloutId && report.count > 0;
    },
  }),
  "lib/dal/users.ts#listUsersForAdmin [this rollout's members]": read({
    call: async () => (await import("@/lib/dal/users")).listUsersForAdmin(await pageActor()),
    effect: (_ctx, _s, result) => Boolean((result as { users: { id: string }[] } | undefined)?.users.some((u) => u.id === fixture.memberId)),
  }),
  "lib/dal/calendar.ts#rolloutsWithCalendarLink [own links]": read({
    async setup(ctx) {
      if (!ctx.caller) return null;
      // A link in a rollout the caller belongs to (the outsider's own rollout for the outsider).
      const own = (await t.db.rolloutMember.findFirstOrThrow({ where: { userId: ctx.caller.id } })).rolloutId;
      await t.db.calendarToken.create({ data: { userId: ctx.caller.id, rolloutId: own, tokenHash: unique("hash") } });
      return own;
    },
    call: async () => (await import("@/lib/dal/calendar")).rolloutsWithCalendarLink(await pageActor()),
    effect: (_ctx, own, result) => own !== null && result instanceof Set && result.has(own),
  }),
};

// ── coverage ────────────────────────────────────────────────────────────────────────

/**
 * Endpoints the matrix does not call, each with the reason. Data-layer functions here
 * are reached only through an endpoint the matrix calls, or take no caller.
 */
const COVERED_BY_OWN_TABLE: Record<string, string> = {
  // A rollout's webhooks (add, disable, delete, enable, send again): their own table of each built-in
  // role, another rollout's member holding every role and signed out, with the same
  // "refused changes nothing and writes no event" check: tests/integration/webhooks-authorization.test.ts.
  "lib/actions/webhooks.ts": "tests/integration/webhooks-authorization.test.ts",
  "lib/dal/webhooks.ts": "tests/integration/webhooks-authorization.test.ts",
  // The plan editor's actions, custom roles and their data layer have their own
  // hand-written table of 40 actions × 15 callers (custom-role holder, instance admin,
  // another rollout's admin included), with the same "refused changes nothing and writes
  // no event" check: tests/integration/plan-authorization.test.ts.
  "lib/actions/plan.ts": "tests/integration/plan-authorization.test.ts",
  "lib/dal/plan-edit.ts": "tests/integration/plan-authorization.test.ts",
  "lib/dal/roles.ts": "tests/integration/plan-authorization.test.ts",
  // Creating, copying, templates, archive and the instance-wide rights: their own table of
  // each built-in role, custom-role holders, an instance admin, another rollout's admin
  // and member, signed out: tests/integration/rollouts-authorization.test.ts.
  "lib/actions/rollouts.ts": "tests/integration/rollouts-authorization.test.ts",
  "lib/dal/rollouts.ts": "tests/integration/rollouts-authorization.test.ts",
  // Metrics answer a bearer token from the environment, never a session: no session of any
  // caller (the instance admin's included) opens them; 404 without METRICS_TOKEN, 401 with a
  // wrong or missing token: tests/integration/metrics.test.ts.
  "app/api/metrics/route.ts": "tests/integration/metrics.test.ts",
  "lib/dal/rollout-copy.ts": "inside createRollout and saveAsTemplate's transactions",
  // Importing a plan (new rollout: the create right; into a rollout: `plan.import`, only
  // while it has nothing recorded): its own table of each built-in role, custom-role
  // holders, a holder of the create right, an instance admin, another rollout's admin,
  // signed out: tests/integration/plan-import-action.test.ts.
  "lib/actions/import.ts": "tests/integration/plan-import-action.test.ts",
  "lib/dal/import.ts": "tests/integration/plan-import-action.test.ts",
  // The REST API (/api/v1), its reads and the API tokens: their own hand-written tables of
  // scopes × endpoints and owner roles (tests/integration/api-v1.test.ts) and of who may
  // make, list and revoke tokens and service accounts (tests/integration/api-tokens.test.ts).
  "app/api/v1/": "tests/integration/api-v1.test.ts",
  "lib/dal/api.ts": "tests/integration/api-v1.test.ts",
  "lib/dal/api-tokens.ts": "tests/integration/api-tokens.test.ts",
  "lib/actions/api-tokens.ts": "tests/integration/api-tokens.test.ts",
  // A person's inbox: only the recipient's own rows, by a hand-written table of the
  // recipient, another person (a member of the same rollout, an admin of it, an instance
  // admin) and signed out, for the actions, the data layer and the unread count's route:
  // tests/integration/notifications-inbox.test.ts.
  // (updateNotificationPreferencesAction, its own settings only, with lib/dal/notification-preferences.ts:
  // tests/integration/notification-email.test.ts — signed out refused, each caller changes only their own rows.)
  "lib/actions/notifications.ts": "tests/integration/notifications-inbox.test.ts",
  "lib/dal/notification-preferences.ts": "tests/integration/notification-email.test.ts",
  "lib/dal/notifications.ts": "tests/integration/notifications-inbox.test.ts",
  "app/api/notifications/unread/route.ts": "tests/integration/notifications-inbox.test.ts",
};

const NOT_CALLED: Record<string, string> = {
  "lib/actions/users.ts#setCreateRightAction": "instance admin only: tests/integration/rollouts-authorization.test.ts",
  "lib/dal/users.ts#setCreateRight": "setCreateRightAction",
  "lib/dal/users.ts#roleValue": "a pure helper (a member row to its form value); reads nothing",
  "lib/dal/phase-gates.ts#readPhaseGates": "a building block called only after its caller's membership and rollout.view check: getRolloutOverview, the gate pages' reads (lib/dal/gate-pages.ts) and the dashboards' reads",
  // next-auth's own endpoints (sign-in, callback, sign-out, session, CSRF) are public by
  // design and need Next's request scope: proven over HTTP in tests/e2e/auth.spec.ts,
  // the password check behind them in tests/integration/sign-in.test.ts.
  "app/api/auth/[...nextauth]/route.ts#GET": "public, tests/e2e/auth.spec.ts",
  "app/api/auth/[...nextauth]/route.ts#POST": "public, tests/e2e/auth.spec.ts",
  "lib/dal/users.ts#createUser": "createUserAction",
  "lib/dal/users.ts#setMemberRoles": "setMemberRolesAction",
  "lib/dal/users.ts#setUserActive": "setUserActiveAction",
  "lib/dal/users.ts#changeOwnPassword": "changePasswordAction",
  "lib/dal/items.ts#updateItemState": "updateItemStateAction",
  "lib/dal/items.ts#updateItemDetails": "updateItemDetailsAction",
  "lib/dal/checklist.ts#listItemAssignees": "listItemAssigneesAction",
  "lib/dal/checklist.ts#listAssignedPeople": "listAssignedPeopleAction",
  "lib/dal/items.ts#updateItemEvidence": "updateItemEvidenceAction",
  "lib/dal/sign-offs.ts#decideSignOff": "decideSignOffAction",
  "lib/dal/sign-offs.ts#withdrawDecision": "withdrawDecisionAction",
  "lib/dal/sign-offs.ts#withdrawOthersDecision": "withdrawOthersDecisionAction",
  "lib/dal/sign-offs.ts#renameSignOff": "renameSignOffAction",
  "lib/dal/sign-offs.ts#assertGateOpen": "inside the writers' transactions",
  "lib/dal/phases.ts#transitionPhase": "transitionPhaseAction",
  "lib/dal/phases.ts#computePhaseGate": "inside transitionPhase's transaction",
  "lib/dal/criteria.ts#verifyCriterion": "verifyCriterionAction",
  "lib/dal/reading.ts#markRead": "markReadAction",
  "lib/dal/ledger.ts#checkLedgerDigest": "checkDigestAction",
  "lib/dal/calendar.ts#createCalendarToken": "createCalendarTokenAction",
  "lib/dal/calendar.ts#revokeCalendarTokens": "revokeCalendarTokenAction",
  "lib/dal/calendar.ts#calendarForToken": "the calendar route",
  "lib/dal/timeline.ts#burnDownFromSnapshot": "takes a snapshot loadRolloutSnapshot already authorized",
};

function listFiles(dir: string, match: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, match) : match(path) ? [path] : [];
  });
}

const endpointOf = (key: string) => key.replace(/ \[.*\]$/, "");

// ── the tests ───────────────────────────────────────────────────────────────────────

beforeAll(async () => {
  t = await createTestDb();
  const rollout = await createRollout(t.db);
  rolloutId = rollout.id;
  slug = rollout.slug;
  otherRolloutId = (await createRollout(t.db)).id;
  tables = (
    await t.db.$queryRawUnsafe<{ name: string }[]>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`)
  ).map((row) => row.name);

  // What the reads look for: a document on a reading list, a member, and a decided
  // sign-off with a comment and the ledger event that recorded it.
  const { recordAudit } = await import("@/lib/audit/record");
  const entry = await readingEntryFor("DBA");
  fixture.documentId = entry.documentId;
  const member = await createUser(t.db, { rolloutId, roles: ["DBA"] });
  fixture.memberId = member.id;
  const signOff = await signOffFor("BUDGET", ["FINANCE"]);
  fixture.signOffId = signOff.id;
  await t.db.signOffDecision.create({ data: { signOffId: signOff.id, userId: member.id, role: "FINANCE", value: "APPROVE", comment: "Within budget" } });
  await t.db.$transaction((tx) =>
    recordAudit(tx, { rolloutId, actorId: member.id, action: "signoff.approved", targetType: "SignOff", targetId: signOff.id, after: { comment: "Within budget" } }),
  );
});
afterAll(async () => t?.close());

describe("authorization matrix", () => {
  it("has a line of expectations and a runner for every server action, route handler and data-layer read", async () => {
    const endpoints: string[] = [];
    for (const file of listFiles("lib/actions", (p) => p.endsWith(".ts"))) {
      endpoints.push(...Object.keys(await import(/* @vite-ignore */ `@/${file}`)).map((name) => `${file}#${name}`));
    }
    for (const file of listFiles("app", (p) => /\/route\.ts$/.test(p))) {
      const exports = Object.keys(await import(/* @vite-ignore */ `@/${relative(".", file)}`));
      endpoints.push(...exports.filter((name) => /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(name)).map((name) => `${file}#${name}`));
    }
    for (const file of listFiles("lib/dal", (p) => p.endsWith(".ts"))) {
      const exported: Record<string, unknown> = await import(/* @vite-ignore */ `@/${file}`);
      endpoints.push(...Object.keys(exported).filter((name) => typeof exported[name] === "function").map((name) => `${file}#${name}`));
    }
    const covered = [...new Set([...EXPECTED.map((row) => endpointOf(row.endpoint)), ...Object.keys(NOT_CALLED)])];
    // A key ending in "/" covers every file under that folder.
    const elsewhere = (endpoint: string) => Object.keys(COVERED_BY_OWN_TABLE).some((file) => endpoint.startsWith(file.endsWith("/") ? file : `${file}#`));
    expect(covered.sort()).toEqual([...new Set(endpoints)].filter((endpoint) => !elsewhere(endpoint)).sort());
    expect(EXPECTED.map((row) => row.endpoint).sort()).toEqual(Object.keys(RUNNERS).sort());
    expect(new Set(EXPECTED.map((row) => row.endpoint)).size).toBe(EXPECTED.length);
  });

  it("names only known callers in its expectations", () => {
    for (const row of EXPECTED) for (const caller of row.allowed) expect(CALLERS).toContain(caller);
  });

  for (const { endpoint, allowed } of EXPECTED) {
    it(`${endpoint}: allowed exactly for ${allowed.length} of ${CALLERS.length} callers`, async () => {
      const runner = RUNNERS[endpoint];
      expect(runner, `no runner for ${endpoint}`).toBeDefined();
      const problems: string[] = [];
      let refusals = 0;
      for (const caller of CALLERS) {
        const user = await callerFor(caller);
        setRequest({ cookie: user ? await sessionCookie(user) : null });
        const ctx: Ctx = { rolloutId, slug, otherRolloutId, caller: user };
        const subject = runner.setup ? await runner.setup(ctx) : undefined;
        const [tablesBefore, eventsBefore] = [await fingerprint(), await eventCounts()];

        let result: unknown;
        let thrown: unknown = null;
        try {
          result = await runner.call(ctx, subject);
        } catch (error) {
          if (!isRefusal(error)) throw error;
          thrown = error;
        }
        const effect = thrown ? false : await runner.effect(ctx, subject, result);
        const got = thrown ? "refused" : outcomeOf(runner.kind, result, effect);
        const want = allowed.includes(caller) ? "allowed" : "refused";

        if (got !== want) problems.push(`${caller}: expected ${want}, got ${got}`);
        if (got === "allowed" && !effect) problems.push(`${caller}: allowed, but the effect did not happen`);
        if (got === "refused") {
          refusals++;
          if (effect) problems.push(`${caller}: refused, but the effect happened`);
          const [tablesAfter, eventsAfter] = [await fingerprint(), await eventCounts()];
          const changed = Object.keys(tablesBefore).filter((table) => tablesBefore[table] !== tablesAfter[table]);
          if (changed.length) problems.push(`${caller}: refused, but changed ${changed.join(", ")}`);
          for (const table of Object.keys(eventsBefore)) {
            if (eventsAfter[table] !== eventsBefore[table]) problems.push(`${caller}: refused, but wrote ${eventsAfter[table] - eventsBefore[table]} ${table} row(s)`);
          }
        }
      }
      expect(problems).toEqual([]);
      // Every refusal was compared: as many as the callers not allowed.
      expect(refusals).toBe(CALLERS.length - allowed.length);
    });
  }
});
