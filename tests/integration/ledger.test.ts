import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson, keyedEventHash, legacyEventHash } from "@/lib/audit/hash";
import { keyringOf, type LedgerKey } from "@/lib/audit/keys";
import { recordAudit } from "@/lib/audit/record";
import { checkDigest, checkDigestEvents, explainChainSinceCheckpoint, makeDigest, verifyChain, verifyEvents, type EventRow } from "@/lib/audit/verify";
import { createRollout } from "./helpers/factories";
import { createTestDb, type TestDb } from "./helpers/test-db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

const KEY_A: LedgerKey = { id: "a", secret: Buffer.alloc(32, 0xa1) };
const KEY_B: LedgerKey = { id: "b", secret: Buffer.alloc(32, 0xb2) };
const envOf = (...keys: LedgerKey[]) => keys.map((k) => `${k.id}:${k.secret.toString("base64")}`).join(",");
const KEYRING = keyringOf([KEY_A]);

const savedKeys = process.env.GREENLIGHT_LEDGER_KEYS;
function signWith(...keys: LedgerKey[]) {
  process.env.GREENLIGHT_LEDGER_KEYS = envOf(...keys);
}
afterEach(() => {
  if (savedKeys === undefined) delete process.env.GREENLIGHT_LEDGER_KEYS;
  else process.env.GREENLIGHT_LEDGER_KEYS = savedKeys;
});

async function append(rolloutId: string, from: number, count: number) {
  for (let i = from; i < from + count; i++) {
    await t.db.$transaction((tx) =>
      recordAudit(tx, { rolloutId, actorId: null, action: `test.event.${i}`, targetType: "Test", targetId: String(i), before: { n: i - 1 }, after: { n: i, note: "ação ✓" } }),
    );
  }
}

async function chainOf(length: number) {
  signWith(KEY_A);
  const rollout = await createRollout(t.db);
  await append(rollout.id, 1, length);
  return rollout.id;
}

/** Tampers the way someone with database access would: the append-only trigger switched off. */
async function tamper(...statements: string[]) {
  await t.db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
  try {
    for (const sql of statements) await t.db.$executeRawUnsafe(sql);
  } finally {
    await t.db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
  }
}

const idOf = async (rolloutId: string, seq: number) => (await t.db.auditEvent.findFirstOrThrow({ where: { rolloutId, seq } })).id.toString();
const headOf = async (rolloutId: string) => t.db.auditEvent.findFirstOrThrow({ where: { rolloutId }, orderBy: { seq: "desc" } });
const sqlJson = (value: unknown) => `'${canonicalJson(value).replace(/'/g, "''")}'`;

/** Inserts an event after the head the way a forger with database access would, hashed by `hash`. */
async function forgeAppend(rolloutId: string, hash: (prev: string, event: Parameters<typeof legacyEventHash>[1]) => string, columns: { hashVersion: number; keyId: string | null }) {
  const head = await headOf(rolloutId);
  const event = { rolloutId, seq: head.seq + 1, actorId: null, action: "signoff.approved", targetType: "SignOff", targetId: "forged", before: null, after: { status: "APPROVED" }, at: new Date() };
  await t.db.$executeRawUnsafe(
    `INSERT INTO "AuditEvent" ("rolloutId", seq, action, "targetType", "targetId", "after", "at", "prevHash", hash, "hashVersion", "keyId")
     VALUES ('${rolloutId}', ${event.seq}, '${event.action}', '${event.targetType}', '${event.targetId}', ${sqlJson(event.after)}, '${event.at.toISOString()}', '${head.hash}', '${hash(head.hash, event)}', ${columns.hashVersion}, ${columns.keyId === null ? "NULL" : `'${columns.keyId}'`})`,
  );
  return event.seq;
}

describe("the database refuses to change the ledger", () => {
  it.each([
    ["UPDATE", (r: string) => `UPDATE "AuditEvent" SET action = 'x' WHERE "rolloutId" = '${r}'`],
    ["DELETE", (r: string) => `DELETE FROM "AuditEvent" WHERE "rolloutId" = '${r}'`],
    ["TRUNCATE", () => `TRUNCATE "AuditEvent"`],
  ])("%s is refused for every client", async (_op, sql) => {
    const rolloutId = await chainOf(2);
    await expect(t.db.$executeRawUnsafe(sql(rolloutId))).rejects.toThrow(/append-only/);
    expect(await t.db.auditEvent.count({ where: { rolloutId } })).toBe(2);
  });

  it("refuses an event without a rollout, so (rolloutId, seq) is unique for every event", async () => {
    await expect(
      t.db.$executeRawUnsafe(`INSERT INTO "AuditEvent" (seq, action, "targetType", hash) VALUES (1, 'user.signed-in', 'User', 'x')`),
    ).rejects.toThrow(/null value|not-null|violates/i);
  });
});

describe("verify names every event that does not match", () => {
  it("accepts an untouched chain, signed with the current key", async () => {
    const rolloutId = await chainOf(5);
    expect(await verifyChain(t.db, rolloutId, KEYRING)).toMatchObject({ ok: true, count: 5, problem: null });
    const events = await t.db.auditEvent.findMany({ where: { rolloutId } });
    expect(events.every((e) => e.hashVersion === 2 && e.keyId === "a")).toBe(true);
  });

  it("catches a changed field", async () => {
    const rolloutId = await chainOf(5);
    await tamper(`UPDATE "AuditEvent" SET "after" = '{"n": 999}' WHERE "rolloutId" = '${rolloutId}' AND seq = 3`);
    expect((await verifyChain(t.db, rolloutId, KEYRING)).problems).toEqual([{ seq: 3, id: await idOf(rolloutId, 3), reason: "its content does not match its hash" }]);
  });

  it("catches a deleted event", async () => {
    const rolloutId = await chainOf(5);
    await tamper(`DELETE FROM "AuditEvent" WHERE "rolloutId" = '${rolloutId}' AND seq = 3`);
    expect((await verifyChain(t.db, rolloutId, KEYRING)).problem).toEqual({ seq: 4, id: await idOf(rolloutId, 4), reason: "event 3 is missing before it" });
  });

  it("catches two events swapped", async () => {
    const rolloutId = await chainOf(5);
    const [a, b] = [await idOf(rolloutId, 2), await idOf(rolloutId, 3)];
    await tamper(`UPDATE "AuditEvent" SET seq = -1 WHERE id = ${a}`, `UPDATE "AuditEvent" SET seq = 2 WHERE id = ${b}`, `UPDATE "AuditEvent" SET seq = 3 WHERE id = ${a}`);
    const report = await verifyChain(t.db, rolloutId, KEYRING);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.id)).toContain(a);
  });

  it("catches a truncated tail through a digest kept elsewhere", async () => {
    const rolloutId = await chainOf(6);
    const digest = makeDigest(await verifyChain(t.db, rolloutId, KEYRING));
    expect(await checkDigest(t.db, digest, KEYRING)).toMatchObject({ ok: true });
    await tamper(`DELETE FROM "AuditEvent" WHERE "rolloutId" = '${rolloutId}' AND seq > 4`);
    // The chain alone cannot tell: what is left is consistent.
    expect(await verifyChain(t.db, rolloutId, KEYRING)).toMatchObject({ ok: true, count: 4 });
    expect(await checkDigest(t.db, digest, KEYRING)).toMatchObject({ ok: false, reason: expect.stringMatching(/saw 6 events, the chain now has 4/) });
  });

  it("catches, through a digest, a history rewritten by someone holding the key too", async () => {
    const rolloutId = await chainOf(4);
    const digest = makeDigest(await verifyChain(t.db, rolloutId, KEYRING));
    const events = await t.db.auditEvent.findMany({ where: { rolloutId }, orderBy: { seq: "asc" } });
    let prev: string = events[0].hash;
    const statements: string[] = [];
    for (const event of events.slice(1)) {
      const after = event.seq === 2 ? { n: 2, note: "forged" } : event.after;
      const hash: string = keyedEventHash(KEY_A, prev, { ...event, after, before: event.before ?? null });
      statements.push(`UPDATE "AuditEvent" SET "after" = ${sqlJson(after)}, "prevHash" = '${prev}', hash = '${hash}' WHERE id = ${event.id}`);
      prev = hash;
    }
    await tamper(...statements);
    expect(await verifyChain(t.db, rolloutId, KEYRING)).toMatchObject({ ok: true });
    expect(await checkDigest(t.db, digest, KEYRING)).toMatchObject({ ok: false, reason: expect.stringMatching(/rewritten/) });
  });
});

describe("an event forged without the ledger key", () => {
  it("written with the public SHA-256 (the old hash function) fails verify, the page's check and a digest saved before", async () => {
    const rolloutId = await chainOf(3);
    const digest = makeDigest(await verifyChain(t.db, rolloutId, KEYRING));
    await explainChainSinceCheckpoint(t.db, rolloutId, KEYRING); // the page was viewed before the forgery
    const seq = await forgeAppend(rolloutId, legacyEventHash, { hashVersion: 1, keyId: null });

    const report = await verifyChain(t.db, rolloutId, KEYRING);
    expect(report.problems).toEqual([{ seq, id: await idOf(rolloutId, seq), reason: expect.stringMatching(/unkeyed hash of version 1 after keyed events/) }]);
    expect((await explainChainSinceCheckpoint(t.db, rolloutId, KEYRING)).report).toMatchObject({ ok: false, problem: { seq } });
    expect(await checkDigest(t.db, digest, KEYRING)).toMatchObject({ ok: false, reason: expect.stringMatching(/chain itself is broken at event 4/) });
  });

  it("claiming to be keyed but hashed with plain SHA-256 fails", async () => {
    const rolloutId = await chainOf(3);
    const seq = await forgeAppend(rolloutId, (prev, e) => createHash("sha256").update(`${prev}\n${canonicalJson(e)}`).digest("hex"), { hashVersion: 2, keyId: "a" });
    expect((await verifyChain(t.db, rolloutId, KEYRING)).problems).toEqual([{ seq, id: await idOf(rolloutId, seq), reason: "its content does not match its hash" }]);
  });

  it("signed with a wrong key under the right key id fails", async () => {
    const rolloutId = await chainOf(3);
    const wrong = { id: "a", secret: Buffer.alloc(32, 0x33) };
    const seq = await forgeAppend(rolloutId, (prev, e) => keyedEventHash(wrong, prev, e), { hashVersion: 2, keyId: "a" });
    expect((await verifyChain(t.db, rolloutId, KEYRING)).problems).toEqual([{ seq, id: await idOf(rolloutId, seq), reason: "its content does not match its hash" }]);
  });

  it("signed with the public development key fails where a real key is configured", async () => {
    const rolloutId = await chainOf(2);
    const { DEVELOPMENT_KEY } = await import("@/lib/audit/keys");
    const seq = await forgeAppend(rolloutId, (prev, e) => keyedEventHash(DEVELOPMENT_KEY, prev, e), { hashVersion: 2, keyId: "dev" });
    expect((await verifyChain(t.db, rolloutId, KEYRING)).problems).toEqual([{ seq, id: await idOf(rolloutId, seq), reason: expect.stringMatching(/key "dev", which is not configured/) }]);
  });
});

describe("key rotation", () => {
  it("verifies events under key A and then key B; without key A, A's events are unverifiable, not valid", async () => {
    const rolloutId = await chainOf(3); // under A
    signWith(KEY_B, KEY_A); // B is current, A still verifies
    await append(rolloutId, 4, 3);
    const events = await t.db.auditEvent.findMany({ where: { rolloutId }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.keyId)).toEqual(["a", "a", "a", "b", "b", "b"]);
    expect(await verifyChain(t.db, rolloutId, keyringOf([KEY_B, KEY_A]))).toMatchObject({ ok: true, count: 6 });

    const withoutA = await verifyChain(t.db, rolloutId, keyringOf([KEY_B]));
    expect(withoutA.ok).toBe(false);
    expect(withoutA.problems.map((p) => [p.seq, p.reason])).toEqual([1, 2, 3].map((seq) => [seq, expect.stringMatching(/key "a", which is not configured here, so it cannot be verified/)]));
  });
});

describe("events written before the ledger was keyed (hash version 1)", () => {
  /** A chain as the previous release wrote it: plain SHA-256, no key id. */
  async function legacyChain(length: number) {
    const rollout = await createRollout(t.db);
    let prev: string | null = null;
    for (let seq = 1; seq <= length; seq++) {
      const event = { rolloutId: rollout.id, seq, actorId: null, action: "legacy", targetType: "Test", targetId: String(seq), before: null, after: { n: seq, Zeta: "z", alpha: "a" }, at: new Date(Date.UTC(2026, 10, seq)) };
      const hash = legacyEventHash(prev, event);
      await t.db.$executeRawUnsafe(
        `INSERT INTO "AuditEvent" ("rolloutId", seq, action, "targetType", "targetId", "after", "at", "prevHash", hash) VALUES ('${rollout.id}', ${seq}, 'legacy', 'Test', '${seq}', ${sqlJson(event.after)}, '${event.at.toISOString()}', ${prev ? `'${prev}'` : "NULL"}, '${hash}')`,
      );
      prev = hash;
    }
    return rollout.id;
  }

  it("still verify once a keyed event follows them; until then the chain says it is unsealed", async () => {
    signWith(KEY_A);
    const rolloutId = await legacyChain(3);
    expect((await verifyChain(t.db, rolloutId, KEYRING)).problems).toEqual([{ seq: 3, id: await idOf(rolloutId, 3), reason: expect.stringMatching(/events 1 to 3 carry only the unkeyed hash/) }]);
    const { sealLegacyChains } = await import("@/lib/audit/check");
    const { slug } = await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    expect(await sealLegacyChains(t.db, KEYRING)).toContain(`ok   ${slug}: events 1 to 3 sealed under key a`);
    expect(await verifyChain(t.db, rolloutId, KEYRING)).toMatchObject({ ok: true, count: 4 });
    // After the seal, an unkeyed event is a forgery.
    const seq = await forgeAppend(rolloutId, legacyEventHash, { hashVersion: 1, keyId: null });
    expect((await verifyChain(t.db, rolloutId, KEYRING)).problem).toMatchObject({ seq, reason: expect.stringMatching(/after keyed events/) });
  });
});

describe("page views verify from a checkpoint", () => {
  /** Rows of AuditEvent the work reads (every findMany/findFirst/findUnique result counted). */
  async function rowsRead(work: (db: typeof t.db) => Promise<unknown>) {
    let rows = 0;
    const counting = t.db.$extends({
      query: {
        auditEvent: {
          async $allOperations({ args, query }) {
            const result = await query(args);
            rows += Array.isArray(result) ? result.length : result && typeof result === "object" ? 1 : 0;
            return result;
          },
        },
      },
    });
    await work(counting as unknown as typeof t.db);
    return rows;
  }

  it("reads only the events after the checkpoint (and its head), and moves it forward", async () => {
    const rolloutId = await chainOf(40);
    expect(await rowsRead((db) => explainChainSinceCheckpoint(db, rolloutId, KEYRING))).toBe(40); // first view: everything
    expect(await t.db.ledgerCheckpoint.findUnique({ where: { rolloutId } })).toMatchObject({ count: 40, head: (await headOf(rolloutId)).hash, keyId: "a" });
    expect(await rowsRead((db) => explainChainSinceCheckpoint(db, rolloutId, KEYRING))).toBe(1); // nothing new: the head only
    await append(rolloutId, 41, 3);
    let report;
    expect(
      await rowsRead(async (db) => {
        report = (await explainChainSinceCheckpoint(db, rolloutId, KEYRING)).report;
      }),
    ).toBe(4);
    expect(report).toMatchObject({ ok: true, count: 43, head: (await headOf(rolloutId)).hash });
    expect((await t.db.ledgerCheckpoint.findUniqueOrThrow({ where: { rolloutId } })).count).toBe(43);
  });

  it("ignores a checkpoint moved by someone without the key, and finds the event it was meant to hide", async () => {
    const rolloutId = await chainOf(5);
    await explainChainSinceCheckpoint(t.db, rolloutId, KEYRING);
    const seq = await forgeAppend(rolloutId, (prev, e) => keyedEventHash({ id: "a", secret: Buffer.alloc(32, 1) }, prev, e), { hashVersion: 2, keyId: "a" });
    const forged = await headOf(rolloutId);
    await t.db.ledgerCheckpoint.update({ where: { rolloutId }, data: { count: seq, head: forged.hash } });
    const { report } = await explainChainSinceCheckpoint(t.db, rolloutId, KEYRING);
    expect(report).toMatchObject({ ok: false, problem: { seq } });
    // A checkpoint MAC made with a guessed key does not help either.
    const mac = createHmac("sha256", Buffer.alloc(32, 1)).update("anything").digest("hex");
    await t.db.ledgerCheckpoint.update({ where: { rolloutId }, data: { mac } });
    expect((await explainChainSinceCheckpoint(t.db, rolloutId, KEYRING)).report).toMatchObject({ ok: false, problem: { seq } });
  });

  it("notices that the checkpoint's own head event was changed", async () => {
    const rolloutId = await chainOf(5);
    await explainChainSinceCheckpoint(t.db, rolloutId, KEYRING);
    await tamper(`UPDATE "AuditEvent" SET "after" = '{"n": 0}' WHERE "rolloutId" = '${rolloutId}' AND seq = 5`);
    expect((await explainChainSinceCheckpoint(t.db, rolloutId, KEYRING)).report).toMatchObject({ ok: false, problem: { seq: 5 } });
  });
});

describe("random tampering", () => {
  it("is never accepted (by verify, or by the digest taken before it)", async () => {
    const rolloutId = await chainOf(8);
    const original: EventRow[] = await t.db.auditEvent.findMany({ where: { rolloutId }, orderBy: { id: "asc" } });
    const digest = makeDigest(verifyEvents(rolloutId, original, KEYRING));
    const fields = ["action", "targetType", "targetId", "actorId", "after", "before", "at", "seq", "hash", "prevHash", "keyId", "hashVersion"] as const;
    const tampering = fc.oneof(
      fc.record({ kind: fc.constant("edit" as const), index: fc.nat(7), field: fc.constantFrom(...fields), salt: fc.string({ minLength: 1, maxLength: 5 }) }),
      fc.record({ kind: fc.constant("delete" as const), index: fc.nat(7) }),
      fc.record({ kind: fc.constant("swap" as const), index: fc.nat(6) }),
      fc.record({ kind: fc.constant("truncate" as const), keep: fc.nat(7) }),
    );
    let accepted = 0;
    fc.assert(
      fc.property(tampering, (op) => {
        const events = original.map((e) => ({ ...e }));
        if (op.kind === "edit") {
          const e = events[op.index];
          if (op.field === "at") e.at = new Date(e.at.getTime() + 1 + op.salt.length);
          else if (op.field === "seq") e.seq = e.seq + 1 + op.salt.length;
          else if (op.field === "hashVersion") e.hashVersion = 1;
          else if (op.field === "after" || op.field === "before") e[op.field] = { tampered: op.salt };
          else e[op.field] = `${String(e[op.field])}${op.salt}`;
        } else if (op.kind === "delete") events.splice(op.index, 1);
        else if (op.kind === "swap") [events[op.index], events[op.index + 1]] = [events[op.index + 1], events[op.index]];
        else events.splice(op.keep);
        const caught = !verifyEvents(rolloutId, events, KEYRING).ok || !checkDigestEvents(digest, events, KEYRING).ok;
        if (!caught) accepted++;
        return caught;
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBe(0);
  });
});

describe("concurrent writers", () => {
  it("never fork the chain: 20 writers at once give seq 1..20 and a valid chain", async () => {
    signWith(KEY_A);
    const rollout = await createRollout(t.db);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db.$transaction((tx) => recordAudit(tx, { rolloutId: rollout.id, actorId: null, action: "concurrent", targetType: "Test", targetId: String(i) })),
      ),
    );
    const events = await t.db.auditEvent.findMany({ where: { rolloutId: rollout.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(events.map((e) => e.prevHash)).size).toBe(20);
    expect(await verifyChain(t.db, rollout.id, KEYRING)).toMatchObject({ ok: true, count: 20 });
  });
});
