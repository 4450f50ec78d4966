import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { legacyEventHash } from "@/lib/audit/hash";
import { recordAudit } from "@/lib/audit/record";
import { openDatabase } from "@/lib/db/adapters";
import { prismaClientFor, type Db } from "@/lib/db/client";
import { migrate, MIGRATIONS_DIR } from "@/lib/db/migrator";
import type { DbTarget } from "@/lib/db/target";
import { createRollout } from "./helpers/factories";
import { freshTarget } from "./helpers/fresh-target";

// `npm run ledger:verify` as a separate process, the way an operator runs it: exit 0 when
// clean, 1 with one line per finding, and a missing table is a finding, not a crash.
// Each case migrates a database folder and starts the command several times: minutes on a busy machine.
vi.setConfig({ testTimeout: 600_000 });

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

async function target(): Promise<DbTarget> {
  const fresh = await freshTarget();
  disposers.push(fresh.dispose);
  return fresh.target;
}

async function withDb<T>(t: DbTarget, work: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase(t);
  const db = prismaClientFor(database.factory);
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
    await database.close();
  }
}

function ledgerCli(t: DbTarget, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.GREENLIGHT_DATA_DIR;
  if (t.kind === "postgres") env.DATABASE_URL = t.url;
  else if (t.kind === "pglite") env.GREENLIGHT_DATA_DIR = t.dataDir;
  const result = spawnSync(resolve("node_modules/.bin/tsx"), ["lib/cli/ledger.ts", ...args], { env, encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A migrated database with one rollout, three events and one item. */
async function ledgerDatabase() {
  const t = await target();
  await migrate(t);
  const ids = await withDb(t, async (db) => {
    const rollout = await createRollout(db);
    const item = await db.checklistItem.create({ data: { rolloutId: rollout.id, list: "IMMEDIATE", position: 0, text: "Check the backups" } });
    for (let i = 1; i <= 3; i++) {
      await db.$transaction((tx) => recordAudit(tx, { rolloutId: rollout.id, actorId: null, action: "test.event", targetType: "Test", targetId: String(i) }));
    }
    return { rollout, item };
  });
  return { t, ...ids };
}

describe("npm run ledger:verify", () => {
  it("exits 0 when clean; 1 naming each changed row, gap in seq and missing table, without a crash", async () => {
    const { t, rollout, item } = await ledgerDatabase();
    const clean = ledgerCli(t, "verify");
    expect(clean.stdout).toContain(`ok   ${rollout.slug}: 3 events`);
    expect(clean.stdout).toContain("The ledger verifies.");
    expect(clean.code).toBe(0);

    await withDb(t, async (db) => {
      await db.$executeRawUnsafe(`UPDATE "ChecklistItem" SET state = 'DONE' WHERE id = '${item.id}'`);
      await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
      await db.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "rolloutId" = '${rollout.id}' AND seq = 2`);
      await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    });
    const tampered = ledgerCli(t, "verify");
    expect(tampered.stdout).toContain(`FAIL ${rollout.slug}: ChecklistItem ${item.id} ("Check the backups"): state is DONE, the ledger says OPEN`);
    expect(tampered.stdout).toMatch(new RegExp(`FAIL ${rollout.slug}: event 3 \\(id \\d+\\): event 2 is missing before it`));
    expect(tampered.stdout).toContain("2 findings.");
    expect(tampered.code).toBe(1);

    await withDb(t, (db) => db.$executeRawUnsafe(`DROP TABLE "AuditEvent" CASCADE`));
    const dropped = ledgerCli(t, "verify");
    expect(dropped.stdout).toContain(`FAIL ${rollout.slug}: events: table AuditEvent is missing`);
    expect(dropped.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(dropped.code).toBe(1);

    await withDb(t, (db) => db.$executeRawUnsafe(`DROP TABLE "Rollout" CASCADE`));
    const worse = ledgerCli(t, "verify");
    expect(worse.stdout).toContain("FAIL rollouts: table Rollout is missing");
    expect(worse.stderr).not.toMatch(/\n\s+at /);
    expect(worse.code).toBe(1);
  });
});

describe("the ledger_keys migration", () => {
  it("moves events without a rollout to the security log and keeps the rollout chains (version 1) verifiable", async () => {
    const t = await target();
    const before = mkdtempSync(join(tmpdir(), "greenlight-mig-"));
    disposers.push(async () => rmSync(before, { recursive: true, force: true }));
    const folders = readdirSync(MIGRATIONS_DIR).sort();
    const ours = folders.find((f) => f.endsWith("_ledger_keys"))!;
    cpSync(MIGRATIONS_DIR, before, { recursive: true, filter: (src) => !src.includes(ours) });
    await migrate(t, before);

    const legacy = await withDb(t, async (db) => {
      const rollout = await createRollout(db);
      const at = new Date("2026-11-01T10:00:00Z");
      const one = { rolloutId: rollout.id, seq: 1, actorId: null, action: "rollout.seeded", targetType: "Rollout", targetId: rollout.id, before: null, after: { slug: rollout.slug }, at };
      const hash = legacyEventHash(null, one);
      await db.$executeRawUnsafe(
        `INSERT INTO "AuditEvent" ("rolloutId", seq, action, "targetType", "targetId", "after", "at", hash) VALUES ('${rollout.id}', 1, 'rollout.seeded', 'Rollout', '${rollout.id}', '{"slug":"${rollout.slug}"}', '${at.toISOString()}', '${hash}')`,
      );
      await db.$executeRawUnsafe(
        `INSERT INTO "AuditEvent" ("rolloutId", seq, action, "targetType", "targetId", "at", hash) VALUES (NULL, 1, 'user.signed-in', 'User', 'u1', '${at.toISOString()}', 'h1'), (NULL, 2, 'user.signed-in', 'User', 'u2', '${at.toISOString()}', 'h2')`,
      );
      return rollout;
    });

    expect((await migrate(t)).applied).toEqual([ours]);
    await withDb(t, async (db) => {
      expect(await db.auditEvent.findMany({ select: { rolloutId: true, hashVersion: true, keyId: true } })).toEqual([{ rolloutId: legacy.id, hashVersion: 1, keyId: null }]);
      const moved = await db.securityEvent.findMany({ orderBy: { id: "asc" } });
      expect(moved.map((e) => [e.action, e.targetId, e.mac, (e.details as { legacyHash?: string }).legacyHash])).toEqual([
        ["user.signed-in", "u1", null, "h1"],
        ["user.signed-in", "u2", null, "h2"],
      ]);
    });
    // The old chain verifies but is unsealed until a keyed event follows it.
    const unsealed = ledgerCli(t, "verify");
    expect(unsealed.stdout).toContain(`FAIL ${legacy.slug}: event 1`);
    expect(unsealed.stdout).toContain("ok   security log: 2 events (2 moved from the old global chain carry no MAC)");
    expect(unsealed.code).toBe(1);
    expect(ledgerCli(t, "seal").code).toBe(0);
    const sealed = ledgerCli(t, "verify");
    expect(sealed.stdout).toContain(`ok   ${legacy.slug}: 2 events`);
    expect(sealed.code).toBe(0);
  });
});
