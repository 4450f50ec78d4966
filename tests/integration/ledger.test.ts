import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashAuditEvent, recordAudit } from "@/lib/audit/record";
import { checkDigest, checkDigestEvents, makeDigest, verifyChain, verifyEvents, type EventRow } from "@/lib/audit/verify";
import { createRollout } from "./helpers/factories";
import { createTestDb, type TestDb } from "./helpers/test-db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

async function chainOf(length: number) {
  const rollout = await createRollout(t.db);
  for (let i = 0; i < length; i++) {
    await t.db.$transaction((tx) =>
      recordAudit(tx, { rolloutId: rollout.id, actorId: null, action: `test.event.${i + 1}`, targetType: "Test", targetId: String(i + 1), before: { n: i }, after: { n: i + 1, note: "ação ✓" } }),
    );
  }
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

const idOf = async (rolloutId: string, seq: number) =>
  (await t.db.auditEvent.findFirstOrThrow({ where: { rolloutId, seq } })).id.toString();

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
});

describe("verify names the first event that does not match", () => {
  it("accepts an untouched chain", async () => {
    const rolloutId = await chainOf(5);
    expect(await verifyChain(t.db, rolloutId)).toMatchObject({ ok: true, count: 5, problem: null });
  });

  it("catches a changed field", async () => {
    const rolloutId = await chainOf(5);
    await tamper(`UPDATE "AuditEvent" SET "after" = '{"n": 999}' WHERE "rolloutId" = '${rolloutId}' AND seq = 3`);
    expect((await verifyChain(t.db, rolloutId)).problem).toEqual({ seq: 3, id: await idOf(rolloutId, 3), reason: "its content does not match its hash" });
  });

  it("catches a deleted event", async () => {
    const rolloutId = await chainOf(5);
    await tamper(`DELETE FROM "AuditEvent" WHERE "rolloutId" = '${rolloutId}' AND seq = 3`);
    expect((await verifyChain(t.db, rolloutId)).problem).toEqual({ seq: 4, id: await idOf(rolloutId, 4), reason: "event 3 is missing before it" });
  });

  it("catches two events swapped", async () => {
    const rolloutId = await chainOf(5);
    const [a, b] = [await idOf(rolloutId, 2), await idOf(rolloutId, 3)];
    await tamper(`UPDATE "AuditEvent" SET seq = -1 WHERE id = ${a}`, `UPDATE "AuditEvent" SET seq = 2 WHERE id = ${b}`, `UPDATE "AuditEvent" SET seq = 3 WHERE id = ${a}`);
    const report = await verifyChain(t.db, rolloutId);
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ id: a, seq: 3 });
  });

  it("catches a truncated tail and a full rewrite through a digest kept elsewhere", async () => {
    const rolloutId = await chainOf(6);
    const digest = makeDigest(await verifyChain(t.db, rolloutId));
    expect(await checkDigest(t.db, digest)).toMatchObject({ ok: true });

    await tamper(`DELETE FROM "AuditEvent" WHERE "rolloutId" = '${rolloutId}' AND seq > 4`);
    expect(await verifyChain(t.db, rolloutId)).toMatchObject({ ok: true, count: 4 });
    expect(await checkDigest(t.db, digest)).toMatchObject({ ok: false, reason: expect.stringMatching(/saw 6 events, the chain now has 4/) });
  });

  it("catches a rewritten history whose hashes were all recomputed", async () => {
    const rolloutId = await chainOf(4);
    const digest = makeDigest(await verifyChain(t.db, rolloutId));
    // The attacker edits event 2 and recomputes every hash after it, so the chain is consistent again.
    const events = await t.db.auditEvent.findMany({ where: { rolloutId }, orderBy: { seq: "asc" } });
    let prev: string | null = events[0].hash;
    const statements: string[] = [];
    for (const event of events.slice(1)) {
      const after = event.seq === 2 ? { n: 2, note: "forged" } : event.after;
      const hash = hashAuditEvent(prev, { ...event, after, before: event.before ?? null });
      statements.push(`UPDATE "AuditEvent" SET "after" = '${JSON.stringify(after)}', "prevHash" = '${prev}', hash = '${hash}' WHERE id = ${event.id}`);
      prev = hash;
    }
    await tamper(...statements);
    expect(await verifyChain(t.db, rolloutId)).toMatchObject({ ok: true });
    expect(await checkDigest(t.db, digest)).toMatchObject({ ok: false, reason: expect.stringMatching(/rewritten/) });
  });
});

describe("random tampering", () => {
  it("is never accepted (by verify, or by the digest taken before it)", async () => {
    const rolloutId = await chainOf(8);
    const original: EventRow[] = await t.db.auditEvent.findMany({ where: { rolloutId }, orderBy: { id: "asc" } });
    const digest = makeDigest(verifyEvents(rolloutId, original));
    const fields = ["action", "targetType", "targetId", "actorId", "after", "before", "at", "seq", "hash", "prevHash"] as const;
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
          else if (op.field === "after" || op.field === "before") e[op.field] = { tampered: op.salt };
          else e[op.field] = `${String(e[op.field])}${op.salt}`;
        } else if (op.kind === "delete") events.splice(op.index, 1);
        else if (op.kind === "swap") [events[op.index], events[op.index + 1]] = [events[op.index + 1], events[op.index]];
        else events.splice(op.keep);
        const caught = !verifyEvents(rolloutId, events).ok || !checkDigestEvents(digest, events).ok;
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
    const rollout = await createRollout(t.db);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db.$transaction((tx) => recordAudit(tx, { rolloutId: rollout.id, actorId: null, action: "concurrent", targetType: "Test", targetId: String(i) })),
      ),
    );
    const events = await t.db.auditEvent.findMany({ where: { rolloutId: rollout.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(events.map((e) => e.prevHash)).size).toBe(20);
    expect(await verifyChain(t.db, rollout.id)).toMatchObject({ ok: true, count: 20 });
  });
});
