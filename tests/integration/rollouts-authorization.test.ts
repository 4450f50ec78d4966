import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ActionResult } from "@/lib/server/action";
import { makeCaller, signInAs } from "./helpers/callers";
import { createRollout, createUser, unique } from "./helpers/factories";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// Who may do what with rollouts and people, written out by hand from the product's rules
// (issue "Rollouts of your own"): creating needs the instance-wide right; copying also needs
// to see the source; templates, archiving and a rollout's people are its admins' (a custom
// role takes its base role's rights); deactivating accounts and granting the create right
// are the instance admin's. Every caller acts on rollout A. A refused call changes nothing
// and writes no audit event.

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
  "instance admin",
  "admin of rollout B",
  "member of rollout B",
  "signed out",
] as const;
type Caller = (typeof CALLERS)[number];

// Y: allowed. n: refused. -: not applicable (a data-layer read has no signed-out caller).
// Columns in the order of CALLERS:
//                                      EX DL OM DO DB DE SO FI AD VI cDL cAD IA aB mB out
const EXPECTED: Record<string, string> = {
  "create a blank rollout":            "n  n  n  n  n  n  n  n  n  n  n   n   Y  n  n  n",
  "create a copy of A (has the right)":"Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y   Y   n  n  n  n",
  "save A as a template":              "n  n  n  n  n  n  n  n  Y  n  n   Y   n  n  n  n",
  "archive A":                         "n  n  n  n  n  n  n  n  Y  n  n   Y   n  n  n  n",
  "unarchive A":                       "n  n  n  n  n  n  n  n  Y  n  n   Y   n  n  n  n",
  "add a person to A by email":        "n  n  n  n  n  n  n  n  Y  n  n   Y   n  n  n  n",
  "change roles of A's member":        "n  n  n  n  n  n  n  n  Y  n  n   Y   n  n  n  n",
  "deactivate A's member":             "n  n  n  n  n  n  n  n  n  n  n   n   Y  n  n  n",
  "grant A's member the create right": "n  n  n  n  n  n  n  n  n  n  n   n   Y  n  n  n",
  "list A's people":                   "n  n  n  n  n  n  n  n  Y  n  n   Y   n  n  n  -",
};

let t: TestDb;
let rolloutB: string;
beforeAll(async () => {
  t = await createTestDb();
  rolloutB = (await createRollout(t.db)).id;
});
afterAll(async () => t?.close());

const form = (data: Record<string, string | string[]>) => {
  const fd = new FormData();
  for (const [key, value] of Object.entries(data)) for (const v of Array.isArray(value) ? value : [value]) fd.append(key, v);
  return fd;
};

type Fixture = { rolloutA: string; versionA: number; target: { id: string; email: string }; caller: { id: string; email: string; name: string } | null };
type Outcome = { result: ActionResult | "read-ok" | { refused: string }; effect: boolean };

/** A fresh rollout A (with an admin who is not the caller, and a DBA member as the target) and the caller. */
async function fixture(callerKind: Caller): Promise<Fixture> {
  const a = await createRollout(t.db);
  await createUser(t.db, { rolloutId: a.id, roles: ["ADMIN"] });
  const target = await createUser(t.db, { rolloutId: a.id, roles: ["DBA"] });
  const caller = await makeCaller(t.db, callerKind, a.id, rolloutB);
  await signInAs(t.db, caller);
  return { rolloutA: a.id, versionA: a.version, target, caller };
}

const ROWS: Record<keyof typeof EXPECTED, (f: Fixture) => Promise<Outcome>> = {
  async "create a blank rollout"() {
    const { createRolloutAction } = await import("@/lib/actions/rollouts");
    const slug = unique("blank");
    const result = await createRolloutAction(undefined, form({ name: "Blank", slug, startDate: "2026-05-04" }));
    return { result, effect: (await t.db.rollout.count({ where: { slug } })) === 1 };
  },
  async "create a copy of A (has the right)"({ rolloutA, caller }) {
    if (caller) await t.db.user.update({ where: { id: caller.id }, data: { canCreateRollouts: true } });
    const { createRolloutAction } = await import("@/lib/actions/rollouts");
    const slug = unique("copy");
    const result = await createRolloutAction(undefined, form({ name: "Copy", slug, startDate: "2026-05-04", sourceId: rolloutA }));
    return { result, effect: (await t.db.rollout.count({ where: { slug } })) === 1 };
  },
  async "save A as a template"({ rolloutA }) {
    const { saveAsTemplateAction } = await import("@/lib/actions/rollouts");
    const slug = unique("template");
    const result = await saveAsTemplateAction(undefined, form({ rolloutId: rolloutA, name: "Template", slug }));
    return { result, effect: (await t.db.rollout.count({ where: { slug, isTemplate: true } })) === 1 };
  },
  async "archive A"({ rolloutA, versionA }) {
    const { setArchivedAction } = await import("@/lib/actions/rollouts");
    const result = await setArchivedAction(undefined, form({ rolloutId: rolloutA, version: String(versionA), archived: "true" }));
    return { result, effect: (await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutA } })).archivedAt !== null };
  },
  async "unarchive A"({ rolloutA }) {
    const archived = await t.db.rollout.update({ where: { id: rolloutA }, data: { archivedAt: new Date(), version: { increment: 1 } } });
    const { setArchivedAction } = await import("@/lib/actions/rollouts");
    const result = await setArchivedAction(undefined, form({ rolloutId: rolloutA, version: String(archived.version), archived: "false" }));
    return { result, effect: (await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutA } })).archivedAt === null };
  },
  async "add a person to A by email"({ rolloutA }) {
    const { createUserAction } = await import("@/lib/actions/users");
    const email = `${unique("added")}@example.test`;
    const result = await createUserAction(undefined, form({ email, name: "Added Person", password: "a long enough passphrase", rolloutId: rolloutA, roles: ["VIEWER"] }));
    return { result, effect: (await t.db.rolloutMember.count({ where: { rolloutId: rolloutA, user: { email } } })) === 1 };
  },
  async "change roles of A's member"({ rolloutA, target }) {
    const { setMemberRolesAction } = await import("@/lib/actions/users");
    const result = await setMemberRolesAction(undefined, form({ userId: target.id, rolloutId: rolloutA, roles: ["DBA", "DEVOPS"] }));
    return { result, effect: (await t.db.rolloutMember.count({ where: { rolloutId: rolloutA, userId: target.id } })) === 2 };
  },
  async "deactivate A's member"({ target }) {
    const { setUserActiveAction } = await import("@/lib/actions/users");
    const result = await setUserActiveAction(undefined, form({ userId: target.id, active: "false" }));
    return { result, effect: !(await t.db.user.findUniqueOrThrow({ where: { id: target.id } })).active };
  },
  async "grant A's member the create right"({ target }) {
    const { setCreateRightAction } = await import("@/lib/actions/users");
    const result = await setCreateRightAction(undefined, form({ userId: target.id, allowed: "true" }));
    return { result, effect: (await t.db.user.findUniqueOrThrow({ where: { id: target.id } })).canCreateRollouts };
  },
  async "list A's people"({ rolloutA, target, caller }) {
    const { listUsersForAdmin } = await import("@/lib/dal/users");
    const actor = { id: caller!.id, email: caller!.email, name: caller!.name, locale: null };
    try {
      const list = await listUsersForAdmin(actor, { rolloutId: rolloutA });
      return { result: "read-ok", effect: list.users.some((u) => u.id === target.id) };
    } catch (error) {
      const { isAppError } = await import("@/lib/errors");
      if (isAppError(error)) return { result: { refused: error.code }, effect: false };
      throw error;
    }
  },
};

function outcome(result: Outcome["result"]): "Y" | "n" {
  if (result === "read-ok") return "Y";
  if ("refused" in result) return ["FORBIDDEN", "NOT_FOUND"].includes(result.refused) ? "n" : fail(result.refused);
  if (result.ok) return "Y";
  return ["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"].includes(result.code) ? "n" : fail(`${result.code} ${result.message}`);
}
function fail(why: string): never {
  throw new Error(`Unexpected failure (a fixture problem, not an authorization answer): ${why}`);
}

describe("rollouts and people: who may do what", () => {
  it("the table names every caller once per row", () => {
    for (const [row, cells] of Object.entries(EXPECTED)) expect(cells.split(/\s+/), row).toHaveLength(CALLERS.length);
  });

  for (const [row, cells] of Object.entries(EXPECTED)) {
    it(`${row}: allowed and refused exactly as the table says; a refusal changes nothing and records nothing`, async () => {
      const want = cells.split(/\s+/);
      const got: string[] = [];
      const problems: string[] = [];
      for (const [index, caller] of CALLERS.entries()) {
        if (want[index] === "-") {
          got.push("-");
          continue;
        }
        const f = await fixture(caller);
        const events = await t.db.auditEvent.count();
        const { result, effect } = await ROWS[row]!(f);
        const answer = outcome(result);
        got.push(answer);
        if (effect !== (answer === "Y")) problems.push(`${caller}: ${answer === "Y" ? "allowed" : "refused"} but the effect ${effect ? "happened" : "did not happen"}`);
        if (answer === "n" && (await t.db.auditEvent.count()) !== events) problems.push(`${caller}: refused but an audit event was written`);
      }
      expect(got.join(" ")).toBe(want.join(" "));
      expect(problems).toEqual([]);
    });
  }
});
