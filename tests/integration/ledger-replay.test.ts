import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLedger } from "@/lib/audit/check";
import { keyringOf } from "@/lib/audit/keys";
import { verifyChain, verifySecurityLog } from "@/lib/audit/verify";
import { authorizeCredentials } from "@/lib/auth/options";
import type { Actor } from "@/lib/auth/session";
import { verifyCriterion } from "@/lib/dal/criteria";
import { updateItemState } from "@/lib/dal/items";
import { decideSignOff } from "@/lib/dal/sign-offs";
import { changeOwnPassword } from "@/lib/dal/users";
import { seedSampleRollout } from "@/prisma/seed";
import { createUser, KNOWN_PASSWORD } from "./helpers/factories";
import { createTestDb, type TestDb } from "./helpers/test-db";

// The state tables must equal what a replay of the ledger's events says; a row changed
// directly in the database is a finding that names the row.

const KEY = { id: "replay", secret: Buffer.alloc(32, 0x5e) };
const KEYRING = keyringOf([KEY]);
let t: TestDb;
let rolloutId: string;
let slug: string;
const saved = process.env.GREENLIGHT_LEDGER_KEYS;

beforeAll(async () => {
  process.env.GREENLIGHT_LEDGER_KEYS = `${KEY.id}:${KEY.secret.toString("base64")}`;
  t = await createTestDb();
  // A "today" other than the plan's own: phase 1 is seeded as already in progress.
  const rollout = await seedSampleRollout(t.db, { anchor: new Date("2030-01-07T18:15:00Z"), passwordHash: "not-a-real-hash" });
  rolloutId = rollout.id;
  slug = rollout.slug;
});
afterAll(async () => {
  if (saved === undefined) delete process.env.GREENLIGHT_LEDGER_KEYS;
  else process.env.GREENLIGHT_LEDGER_KEYS = saved;
  await t?.close();
});

async function actorFor(email: string): Promise<Actor> {
  const user = await t.db.user.findUniqueOrThrow({ where: { email } });
  return { id: user.id, email: user.email, name: user.name, locale: null };
}
const failures = async () => (await checkLedger(t.db, { keyring: KEYRING })).lines.filter((l) => l.startsWith("FAIL"));

describe("replaying the ledger against the state tables", () => {
  it("finds nothing after the seed (phase 1 started by the seed included) and after changes made through the app", async () => {
    expect(await t.db.phase.count({ where: { rolloutId, status: "IN_PROGRESS" } })).toBe(1);
    expect(await failures()).toEqual([]);

    const admin = await actorFor("admin@greenlight.demo");
    const cto = await actorFor("cto@greenlight.demo");
    const item = await t.db.checklistItem.findFirstOrThrow({ where: { rolloutId, list: "PHASE" }, orderBy: { id: "asc" } });
    await updateItemState(admin, { itemId: item.id, version: item.version, state: "DONE" });
    const open = await t.db.signOff.findMany({ where: { rolloutId, OR: [{ phaseId: null }, { phase: { status: { in: ["NOT_STARTED", "IN_PROGRESS"] } } }] }, orderBy: { position: "asc" } });
    const signOff = open.find((s) => s.requiredRoles.includes("EXECUTIVE"))!;
    await decideSignOff(cto, { signOffId: signOff.id, value: "APPROVE" });
    const criterion = await t.db.successCriterion.findFirstOrThrow({ where: { rolloutId } });
    await verifyCriterion(cto, { criterionId: criterion.id, version: criterion.version, verified: true, note: "seen on the dashboard" });

    expect(await failures()).toEqual([]);
  });

  it("names each row changed directly in the database: a sign-off set to APPROVED, an item set to DONE, a decision inserted, a criterion verified", async () => {
    const signOff = await t.db.signOff.findFirstOrThrow({ where: { rolloutId, status: "PENDING" }, orderBy: { position: "desc" } });
    const item = await t.db.checklistItem.findFirstOrThrow({ where: { rolloutId, state: "OPEN" }, orderBy: { position: "desc" } });
    const criterion = await t.db.successCriterion.findFirstOrThrow({ where: { rolloutId, verifiedAt: null } });
    const finance = await actorFor("finance@greenlight.demo");
    await t.db.$executeRawUnsafe(`UPDATE "SignOff" SET status = 'APPROVED' WHERE id = '${signOff.id}'`);
    await t.db.$executeRawUnsafe(`UPDATE "ChecklistItem" SET state = 'DONE' WHERE id = '${item.id}'`);
    await t.db.$executeRawUnsafe(`UPDATE "SuccessCriterion" SET "verifiedAt" = now() WHERE id = '${criterion.id}'`);
    const decision = await t.db.signOffDecision.create({ data: { signOffId: signOff.id, userId: finance.id, role: "FINANCE", value: "APPROVE" } });

    const found = await failures();
    expect(found).toHaveLength(4);
    expect(found).toEqual(
      expect.arrayContaining([
        `FAIL ${slug}: SignOff ${signOff.id} ("${signOff.title.slice(0, 60)}"): status is APPROVED, the ledger says PENDING`,
        `FAIL ${slug}: ChecklistItem ${item.id} ("${item.text.length > 60 ? `${item.text.slice(0, 57)}…` : item.text}"): state is DONE, the ledger says OPEN`,
        `FAIL ${slug}: SuccessCriterion ${criterion.id} ("${criterion.text.length > 60 ? `${criterion.text.slice(0, 57)}…` : criterion.text}"): verified is true, the ledger says false`,
        expect.stringMatching(new RegExp(`^FAIL ${slug}: SignOffDecision ${decision.id} \\(.*user ${finance.id}\\)"\\): decision is APPROVE as FINANCE, the ledger says none$`)),
      ]),
    );
    expect((await checkLedger(t.db, { keyring: KEYRING })).findings).toBe(4);
  });
});

describe("security events", () => {
  it("a sign-in and an account change go to the security log, not to any rollout's chain", async () => {
    const user = await createUser(t.db, { rolloutId, roles: ["VIEWER"] });
    const before = await t.db.auditEvent.count();
    await authorizeCredentials({ email: user.email, password: KNOWN_PASSWORD }, { address: "198.51.100.7" });
    await changeOwnPassword({ id: user.id, email: user.email, name: user.name, locale: null }, { currentPassword: KNOWN_PASSWORD, newPassword: "a brand new passphrase", confirmPassword: "a brand new passphrase" });
    expect(await t.db.auditEvent.count()).toBe(before);
    const log = await t.db.securityEvent.findMany({ where: { actorId: user.id }, orderBy: { id: "asc" } });
    expect(log.map((e) => [e.action, e.keyId])).toEqual([
      ["user.signed-in", "replay"],
      ["user.password.changed", "replay"],
    ]);
    expect(await verifySecurityLog(t.db, KEYRING)).toMatchObject({ problems: [] });
    expect(await verifyChain(t.db, rolloutId, KEYRING)).toMatchObject({ ok: true });
  });

  it("a security event forged without the key is a finding", async () => {
    const user = await createUser(t.db);
    await t.db.$executeRawUnsafe(
      `INSERT INTO "SecurityEvent" ("actorId", action, "targetType", "targetId", "keyId", mac) VALUES ('${user.id}', 'user.signed-in', 'User', '${user.id}', 'replay', '${"0".repeat(64)}')`,
    );
    const forged = await t.db.securityEvent.findFirstOrThrow({ where: { actorId: user.id } });
    expect((await verifySecurityLog(t.db, KEYRING)).problems).toEqual([{ id: forged.id.toString(), reason: "its content does not match its hash" }]);
  });
});
