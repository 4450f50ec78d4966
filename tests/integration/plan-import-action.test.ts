import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ActionResult } from "@/lib/server/action";
import { makeCaller, signInAs } from "./helpers/callers";
import { createRollout, createUser, unique } from "./helpers/factories";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// The import page's two actions (lib/actions/import.ts) and their data layer
// (lib/dal/import.ts), called as the browser calls them, with a real session cookie.
//
// Who may import, written out by hand from the product's rules (issue "Import from
// Markdown"): a plan becomes a NEW rollout only for someone holding the instance-wide right
// to create rollouts (granted, or the instance admin); it goes INTO an existing rollout only
// for that rollout's admins (`plan.import`; a custom role takes its base role's rights), and
// only while the rollout has nothing recorded. The preview is guarded like the import. A
// refused call changes nothing and writes no audit event.

const CALLERS = [
  "EXECUTIVE",
  "DEV_LEAD",
  "OPS_MANAGER",
  "DEVOPS",
  "DBA",
  "DATA_ENGINEER",
  "SECURITY_OFFICER",
  "FINANCE",
  "ADMIN",
  "VIEWER",
  "custom role (base DEV_LEAD)",
  "custom role (base ADMIN)",
  "VIEWER of A with the create right",
  "instance admin",
  "admin of rollout B",
  "signed out",
] as const;
type Caller = (typeof CALLERS)[number];

// Y: allowed. n: refused. -: not applicable (a data-layer read has no signed-out caller). Columns in the order of CALLERS:
//                                   EX DL OM DO DB DE SO FI AD VI cDL cAD VIc IA aB out
const EXPECTED: Record<string, string> = {
  "preview as a new rollout":       "n  n  n  n  n  n  n  n  n  n  n   n   Y   Y  n  n",
  "import as a new rollout":        "n  n  n  n  n  n  n  n  n  n  n   n   Y   Y  n  n",
  "preview into A (nothing yet)":   "n  n  n  n  n  n  n  n  Y  n  n   Y   n   n  n  n",
  "import into A (nothing yet)":    "n  n  n  n  n  n  n  n  Y  n  n   Y   n   n  n  n",
  "open A's import page (read)":    "n  n  n  n  n  n  n  n  Y  n  n   Y   n   n  n  -",
};

const fixture = (name: string) => readFileSync(new URL(`../fixtures/plans/${name}`, import.meta.url));
const english = fixture("english-nested.md");
const portuguese = fixture("portuguese.md");

let t: TestDb;
let rolloutB: string;
beforeAll(async () => {
  t = await createTestDb();
  rolloutB = (await createRollout(t.db)).id;
});
afterAll(async () => t?.close());

function form(fields: Record<string, string | Blob | object | undefined>): FormData {
  const fd = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (value instanceof Blob) fd.set(key, value, "plan.md");
    else fd.set(key, typeof value === "string" ? value : JSON.stringify(value));
  }
  return fd;
}
const file = (bytes: Uint8Array) => new File([Uint8Array.from(bytes)], "plan.md", { type: "text/markdown" });

/** Every row count that an import could change, and the audit events. */
async function footprint() {
  const db = t.db;
  const [rollouts, roles, members, phases, items, signOffs, documents, reading, criteria, contacts, milestones, events] = await Promise.all([
    db.rollout.count(),
    db.rolloutRole.count(),
    db.rolloutMember.count(),
    db.phase.count(),
    db.checklistItem.count(),
    db.signOff.count(),
    db.document.count(),
    db.readingListEntry.count(),
    db.successCriterion.count(),
    db.contact.count(),
    db.milestone.count(),
    db.auditEvent.count(),
  ]);
  return { rollouts, roles, members, phases, items, signOffs, documents, reading, criteria, contacts, milestones, events };
}

async function signIn(userId: string | null) {
  await signInAs(t.db, userId ? { id: userId } : null);
}

/** A fresh rollout A with nothing recorded (an admin who is not the caller), and the caller. */
async function setUp(kind: Caller): Promise<{ rolloutA: string; callerId: string | null }> {
  const a = await createRollout(t.db);
  await createUser(t.db, { rolloutId: a.id, roles: ["ADMIN"] });
  const callerId = (await makeCaller(t.db, kind, a.id, rolloutB))?.id ?? null;
  await signIn(callerId);
  return { rolloutA: a.id, callerId };
}

type Outcome = { result: ActionResult; effect: boolean; writes: boolean };

const ROWS: Record<keyof typeof EXPECTED, (f: { rolloutA: string; callerId: string | null }) => Promise<Outcome>> = {
  async "open A's import page (read)"({ rolloutA, callerId }) {
    const { getImportTarget } = await import("@/lib/dal/import");
    const { isAppError } = await import("@/lib/errors");
    const user = await t.db.user.findUniqueOrThrow({ where: { id: callerId! } });
    const slug = (await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutA } })).slug;
    try {
      const target = await getImportTarget({ id: user.id, email: user.email, name: user.name, locale: null }, slug);
      return { result: { ok: true }, effect: target.rolloutId === rolloutA, writes: false };
    } catch (error) {
      if (!isAppError(error)) throw error;
      return { result: { ok: false, code: error.code, message: error.message }, effect: false, writes: false };
    }
  },
  async "preview as a new rollout"() {
    const { previewImportAction } = await import("@/lib/actions/import");
    const result = await previewImportAction(form({ file: file(english) }));
    return { result, effect: result.ok && (result.data as { title?: string })?.title === "Payments API cut-over", writes: false };
  },
  async "import as a new rollout"() {
    const { importPlanAction } = await import("@/lib/actions/import");
    const slug = unique("imported");
    const result = await importPlanAction(form({ file: file(english), name: "Payments", slug, startDate: "2026-03-02" }));
    return { result, effect: (await t.db.phase.count({ where: { rollout: { slug } } })) === 2, writes: true };
  },
  async "preview into A (nothing yet)"({ rolloutA }) {
    const { previewImportAction } = await import("@/lib/actions/import");
    const result = await previewImportAction(form({ rolloutId: rolloutA, file: file(english) }));
    return { result, effect: result.ok && (result.data as { title?: string })?.title === "Payments API cut-over", writes: false };
  },
  async "import into A (nothing yet)"({ rolloutA }) {
    const { importPlanAction } = await import("@/lib/actions/import");
    const result = await importPlanAction(form({ rolloutId: rolloutA, file: file(english) }));
    return { result, effect: (await t.db.phase.count({ where: { rolloutId: rolloutA } })) === 2, writes: true };
  },
};

describe("who may import a plan (a hand-written table)", () => {
  for (const [endpoint, row] of Object.entries(EXPECTED)) {
    const allowed = row.trim().split(/\s+/);
    it(`${endpoint}: as written, for each of ${CALLERS.length} callers`, async () => {
      expect(allowed).toHaveLength(CALLERS.length);
      const problems: string[] = [];
      let refusals = 0;
      for (const [index, caller] of CALLERS.entries()) {
        if (allowed[index] === "-") continue;
        const setup = await setUp(caller);
        const before = await footprint();
        const outcome = await ROWS[endpoint]!(setup);
        const after = await footprint();
        if (allowed[index] === "Y") {
          if (!outcome.result.ok || !outcome.effect) problems.push(`${caller}: expected allowed, got ${JSON.stringify(outcome.result)}`);
          if (outcome.writes && after.events !== before.events + 1) problems.push(`${caller}: expected one audit event`);
          if (!outcome.writes && JSON.stringify(after) !== JSON.stringify(before)) problems.push(`${caller}: the preview wrote something`);
        } else {
          refusals += 1;
          if (outcome.result.ok || outcome.effect) problems.push(`${caller}: expected refused, got ${JSON.stringify(outcome.result).slice(0, 200)}`);
          else if (!["FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"].includes(outcome.result.code)) problems.push(`${caller}: refused with ${outcome.result.code}`);
          if (JSON.stringify(after) !== JSON.stringify(before)) problems.push(`${caller}: a refused call changed ${JSON.stringify({ before, after })}`);
        }
      }
      expect(problems).toEqual([]);
      expect(refusals).toBe(allowed.filter((a) => a === "n").length);
    });
  }
});

describe("importing through the page's actions", () => {
  async function creator() {
    const user = await createUser(t.db);
    await t.db.user.update({ where: { id: user.id }, data: { canCreateRollouts: true } });
    await signIn(user.id);
    return user;
  }

  /** Calls the action and checks it was refused with `message`, changing nothing. */
  async function refused(call: () => Promise<ActionResult>, message: string | RegExp) {
    const before = await footprint();
    const result = await call();
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.message).toMatch(message);
    expect(await footprint()).toEqual(before);
    return result;
  }

  it("refuses a plan over 2 MB, uploaded or pasted, naming its size", async () => {
    await creator();
    const { importPlanAction, previewImportAction } = await import("@/lib/actions/import");
    const big = Buffer.alloc(2 * 1024 * 1024 + 1, "a");
    big.write("# Plan\n\n- [ ] one\n");
    const fields = { name: "Big", slug: unique("big"), startDate: "2026-03-02" };
    await refused(() => importPlanAction(form({ file: file(big), ...fields })), "The plan is 2.0 MB; the limit is 2 MB.");
    await refused(() => previewImportAction(form({ file: file(big) })), "The plan is 2.0 MB; the limit is 2 MB.");
    await refused(() => importPlanAction(form({ text: big.toString("utf8"), ...fields })), "The plan is 2.0 MB; the limit is 2 MB.");
    // Exactly 2 MB is within the limit: this one is refused for what it holds, not its size.
    await refused(() => previewImportAction(form({ file: file(Buffer.alloc(2 * 1024 * 1024, 0)) })), /not text/);
  });

  it("refuses empty, binary and task-less files, and a request with neither or both sources, changing nothing", async () => {
    await creator();
    const { importPlanAction } = await import("@/lib/actions/import");
    const fields = { name: "Refused", slug: unique("refused"), startDate: "2026-03-02" };
    await refused(() => importPlanAction(form({ file: file(Buffer.from("  \n\n")), ...fields })), "The file is empty.");
    await refused(() => importPlanAction(form({ file: file(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52])), ...fields })), /not text/);
    await refused(() => importPlanAction(form({ file: file(fixture("no-tasks.md")), ...fields })), /no task list/);
    await refused(() => importPlanAction(form({ ...fields })), "Upload the plan's file or paste its text.");
    await refused(() => importPlanAction(form({ file: file(english), text: "# Plan\n\n- [ ] a", ...fields })), "Send either a file or pasted text, not both.");
    await refused(() => importPlanAction(form({ file: file(english), ...fields, slug: "Not a slug!" })), /address/i);
    await refused(() => importPlanAction(form({ file: file(english), ...fields, readAs: "{not json" })), "The choices sent could not be read.");
    await refused(() => importPlanAction(form({ file: file(english), ...fields, readAs: { s1: "dessert" } })), /Choose how the section is read/);
    await refused(() => importPlanAction(form({ file: file(english), ...fields, readAs: { s99: "phase" } })), /no section “s99”/);
    await refused(() => importPlanAction(form({ file: file(english), ...fields, roles: { Nobody: { role: "DBA" } } })), /names no role “Nobody”/);
    await refused(() => importPlanAction(form({ file: file(english), ...fields, roles: { "SRE Lead": { role: "CEO" } } })), /role/i);
    await refused(() => importPlanAction(form({ file: file(english), ...fields, edits: { "500": "- [ ] x" } })), "Line 500 does not exist: the plan has 48 lines.");
    await refused(() => importPlanAction(form({ file: file(english), ...fields, edits: { "9": "- [ ] a\u0000b" } })), "Text may not contain the NUL character (U+0000).");
    await refused(() => importPlanAction(form({ text: "# Plan\n\n- [ ] a\u0000b", ...fields })), "Text may not contain the NUL character (U+0000).");
    await refused(() => importPlanAction(form({ file: file(english), ...fields, name: "Pay\u0000ments" })), "Text may not contain the NUL character (U+0000).");
    await refused(() => importPlanAction(form({ file: file(english), ...fields, roles: { "SRE Lead": { custom: "S\u0000RE", baseRole: "DBA" } } })), /role/i);
    await refused(() => importPlanAction(form({ file: file(english), ...fields, edits: { "9": "- [ ] one\n- [ ] two" } })), "The correction of line 9 must stay on one line.");
    // Every section holding tasks set aside: nothing would be imported.
    await refused(
      () => importPlanAction(form({ file: file(english), ...fields, readAs: { s1: "ignore", s2: "notes", s3: "ignore" } })),
      "Every section holding tasks is set to be ignored or read as notes; nothing would be imported.",
    );
  });

  it("says the refusal in Portuguese to a Portuguese speaker", async () => {
    const user = await creator();
    await t.db.user.update({ where: { id: user.id }, data: { locale: "pt-BR" } });
    await signIn(user.id);
    const { previewImportAction } = await import("@/lib/actions/import");
    await refused(() => previewImportAction(form({ file: file(fixture("no-tasks.md")) })), "O arquivo não tem lista de tarefas: escreva os itens do plano como linhas de tarefa do GitHub (“- [ ] item”).");
  });

  it("imports a Windows-1252 plan with the person's corrections, section readings and role mapping, re-read from the source", async () => {
    const user = await creator();
    const { previewImportAction, importPlanAction } = await import("@/lib/actions/import");
    const bytes = iconv.encode(portuguese.toString("utf8"), "windows-1252");
    const preview = await previewImportAction(form({ file: file(bytes) }));
    expect(preview.ok).toBe(true);
    const data = preview.ok ? preview.data! : null;
    expect(data?.detected).toBe("windows-1252");
    expect(data?.title).toBe("Migração do armazém de dados");
    const criteria = data!.sections.find((s) => s.heading.startsWith("Critérios"))!;
    expect(criteria.kind).toBe("criteria");
    expect(data!.roles.map((r) => r.label)).toContain("DBA");

    const slug = unique("migracao");
    const result = await importPlanAction(
      form({
        file: file(bytes),
        name: "Migração",
        slug,
        startDate: "2026-04-06",
        // Line 5 corrected by the person; the criteria section read as a phase; DBA as a new custom role.
        edits: { "5": "- [x] Revisão da arquitetura aprovada" },
        readAs: { [criteria.id]: "phase" },
        roles: { DBA: { custom: "Database team", baseRole: "DBA" } },
      }),
    );
    expect(result).toMatchObject({ ok: true, data: { slug } });
    const rollout = await t.db.rollout.findUniqueOrThrow({ where: { slug } });
    expect(rollout.name).toBe("Migração");
    expect(rollout.anchorDate.toISOString().slice(0, 10)).toBe("2026-04-06");
    const phases = await t.db.phase.findMany({ where: { rolloutId: rollout.id }, orderBy: { position: "asc" } });
    expect(phases.map((p) => p.name)).toEqual(["Preparação", "Execução", "Critérios de sucesso: Operação"]);
    const items = await t.db.checklistItem.findMany({ where: { rolloutId: rollout.id }, orderBy: [{ phaseId: "asc" }, { position: "asc" }] });
    expect(items.map((i) => i.text)).toContain("Revisão da arquitetura aprovada");
    expect(items.map((i) => i.text)).not.toContain("Revisão da arquitetura concluída");
    expect(await t.db.successCriterion.count({ where: { rolloutId: rollout.id } })).toBe(0);
    const role = await t.db.rolloutRole.findFirstOrThrow({ where: { rolloutId: rollout.id } });
    expect(role).toMatchObject({ name: "Database team", baseRole: "DBA" });
    expect(await t.db.readingListEntry.count({ where: { rolloutId: rollout.id, customRoleId: role.id } })).toBe(2);
    expect(await t.db.rolloutMember.findMany({ where: { rolloutId: rollout.id }, select: { userId: true, role: true } })).toEqual([{ userId: user.id, role: "ADMIN" }]);

    const events = await t.db.auditEvent.findMany({ where: { rolloutId: rollout.id } });
    expect(events.map((e) => e.action)).toEqual(["plan.imported"]);
    const after = events[0]!.after as { sha256: string; choices: { readAs: unknown; roleMap: unknown; lineEdits: unknown; encoding: string } };
    expect(after.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(after.choices).toMatchObject({
      readAs: { [criteria.id]: "phase" },
      roleMap: { DBA: { custom: "Database team", baseRole: "DBA" } },
      lineEdits: { "5": "- [x] Revisão da arquitetura aprovada" },
      encoding: "windows-1252",
    });
  });

  it("refuses a taken address, changing nothing", async () => {
    await creator();
    const taken = await createRollout(t.db);
    const { importPlanAction } = await import("@/lib/actions/import");
    await refused(() => importPlanAction(form({ file: file(english), name: "Again", slug: taken.slug, startDate: "2026-03-02" })), `The address "${taken.slug}" is already taken; choose another.`);
  });
});

describe("importing into an existing rollout", () => {
  async function adminOf(rolloutId: string) {
    const admin = await createUser(t.db, { rolloutId, roles: ["ADMIN"] });
    await signIn(admin.id);
    return admin;
  }

  it("writes into a rollout with nothing recorded: its own name, slug and start date, its custom roles reused", async () => {
    const rollout = await createRollout(t.db);
    const sre = await t.db.rolloutRole.create({ data: { rolloutId: rollout.id, slug: "sre", name: "SRE", baseRole: "OPS_MANAGER", position: 0 } });
    const admin = await adminOf(rollout.id);
    const { importPlanAction } = await import("@/lib/actions/import");
    const before = await t.db.rollout.count();
    const result = await importPlanAction(form({ rolloutId: rollout.id, file: file(english), roles: { "SRE Lead": { customRoleId: sre.id } }, name: "ignored", slug: "ignored-too" }));
    expect(result).toMatchObject({ ok: true, data: { slug: rollout.slug } });
    expect(await t.db.rollout.count()).toBe(before);
    const stored = await t.db.rollout.findUniqueOrThrow({ where: { id: rollout.id } });
    expect({ name: stored.name, anchorDate: stored.anchorDate }).toEqual({ name: rollout.name, anchorDate: rollout.anchorDate });
    const phases = await t.db.phase.findMany({ where: { rolloutId: rollout.id }, orderBy: { position: "asc" } });
    expect(phases.map((p) => p.name)).toEqual(["Preparation", "Switch"]);
    // Dates count from the rollout's start date.
    expect(phases[0]!.plannedStart?.toISOString().slice(0, 10)).toBe("2026-01-01");
    const actions = await t.db.checklistItem.findMany({ where: { rolloutId: rollout.id, list: "NEXT_24H" } });
    expect(actions.length).toBe(2);
    expect(actions.every((i) => i.ownerCustomRoleId === sre.id)).toBe(true);
    expect(await t.db.rolloutRole.count({ where: { rolloutId: rollout.id } })).toBe(1);
    // No second membership for the admin.
    expect(await t.db.rolloutMember.count({ where: { rolloutId: rollout.id, userId: admin.id } })).toBe(1);
    const events = await t.db.auditEvent.findMany({ where: { rolloutId: rollout.id, action: "plan.imported" } });
    expect(events).toHaveLength(1);
    expect((events[0]!.after as { into: string }).into).toBe("existing");
  });

  it("refuses a rollout with recorded activity (and a second import into the same one), changing nothing", async () => {
    const rollout = await createRollout(t.db);
    await adminOf(rollout.id);
    const { importPlanAction, previewImportAction } = await import("@/lib/actions/import");
    expect((await importPlanAction(form({ rolloutId: rollout.id, file: file(english) }))).ok).toBe(true);
    const before = await footprint();
    const again = await importPlanAction(form({ rolloutId: rollout.id, file: file(english) }));
    expect(again).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(again.ok ? "" : again.message).toBe(
      `“${rollout.name}” already holds a plan (2 phases, 10 items, 0 sign-offs); a plan can be imported only into a rollout with nothing recorded yet. Nothing was imported.`,
    );
    expect((await previewImportAction(form({ rolloutId: rollout.id, file: file(english) }))).ok).toBe(false);
    expect(await footprint()).toEqual(before);

    // A rollout whose only record is one ticked item (no phase at all) is not empty either.
    const other = await createRollout(t.db);
    const admin = await adminOf(other.id);
    await t.db.checklistItem.create({ data: { rolloutId: other.id, list: "IMMEDIATE", position: 0, text: "Done already", state: "DONE", stateChangedAt: new Date(), stateChangedById: admin.id } });
    const snapshot = await footprint();
    const refused = await importPlanAction(form({ rolloutId: other.id, file: file(english) }));
    expect(refused).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(await footprint()).toEqual(snapshot);
  });

  it("two imports into the same empty rollout at once: one is stored, the other refused", async () => {
    const rollout = await createRollout(t.db);
    await adminOf(rollout.id);
    const { importPlanAction } = await import("@/lib/actions/import");
    const results = await Promise.all([1, 2].map(() => importPlanAction(form({ rolloutId: rollout.id, file: file(english) }))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toMatchObject([{ code: "CONFLICT" }]);
    expect(await t.db.phase.count({ where: { rolloutId: rollout.id } })).toBe(2);
    expect(await t.db.auditEvent.count({ where: { rolloutId: rollout.id, action: "plan.imported" } })).toBe(1);
  });

  it("refuses a custom role of another rollout and an archived rollout, changing nothing", async () => {
    const rollout = await createRollout(t.db);
    const foreign = await t.db.rolloutRole.create({ data: { rolloutId: rolloutB, slug: unique("foreign"), name: unique("Foreign"), baseRole: "ADMIN", position: 0 } });
    await adminOf(rollout.id);
    const { importPlanAction } = await import("@/lib/actions/import");
    const before = await footprint();
    const result = await importPlanAction(form({ rolloutId: rollout.id, file: file(english), roles: { "SRE Lead": { customRoleId: foreign.id } } }));
    expect(result.ok ? "" : result.message).toBe("The role chosen for “SRE Lead” is not one of this rollout's.");
    await t.db.rollout.update({ where: { id: rollout.id }, data: { archivedAt: new Date() } });
    const archived = await importPlanAction(form({ rolloutId: rollout.id, file: file(english) }));
    expect(archived).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(await footprint()).toEqual({ ...before });
  });
});
