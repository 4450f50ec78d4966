import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/adapters";
import { backupDatabase, readBackupFile, restoreDatabase } from "@/lib/db/backup";
import { prismaClientFor, setDb, createPrismaClient } from "@/lib/db/client";
import { migrate, MIGRATIONS_DIR, readMigrations } from "@/lib/db/migrator";
import { setupDatabase } from "@/lib/db/setup";
import type { DbTarget } from "@/lib/db/target";
import { updateItemState } from "@/lib/dal/items";
import { adminQuery } from "./helpers/test-db";
import { withDatabase } from "./helpers/pg-urls";

// db:backup and db:restore on both engines: a round trip gives the same rows and a ledger
// that verifies; a backup taken while writes go on is one instant (the restored ledger's
// replay agrees with the state tables); a file from a newer schema is refused before
// anything changes; an older one is migrated; the embedded database is refused while
// another process holds it, naming the holder.
//
// The Postgres cases use DATABASE_URL's server, else 127.0.0.1:5432 (as the outage spec
// does): they fail, never skip, when none answers.

const dirs: string[] = [];
const databases: string[] = [];
const children: ChildProcess[] = [];
const pgBase = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const prefix = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL).pathname.slice(1) : "greenlight";

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  for (const name of databases) await adminQuery(pgBase, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "greenlight-backup-test-"));
  dirs.push(dir);
  return dir;
}

async function pgTarget(): Promise<DbTarget & { kind: "postgres" }> {
  const name = `${prefix}_bk_${randomBytes(4).toString("hex")}`;
  await adminQuery(pgBase, `CREATE DATABASE "${name}"`);
  databases.push(name);
  return { kind: "postgres", url: withDatabase(pgBase, name) };
}

async function countsOf(target: DbTarget): Promise<Record<string, number>> {
  const opened = await openDatabase(target);
  const db = prismaClientFor(opened.factory);
  try {
    const [rollouts, users, events, items, security] = await Promise.all([db.rollout.count(), db.user.count(), db.auditEvent.count(), db.checklistItem.count(), db.securityEvent.count()]);
    return { rollouts, users, events, items, security };
  } finally {
    await db.$disconnect();
    await opened.close();
  }
}

// Seeding and migrating take a while on a loaded machine.
const SLOW = 240_000;

const known = () => readMigrations().migrationDirectories.map((m) => m.path);

describe("the embedded database (PGlite)", () => {
  it("round-trips: same rows, the ledger verifies, the schema version recorded; a second restore needs --force and keeps the old folder", async () => {
    const dir = tempDir();
    const source: DbTarget = { kind: "pglite", dataDir: join(dir, "source") };
    await setupDatabase(source);
    const file = join(dir, "greenlight.backup");
    const backup = await backupDatabase(source, file);
    expect(backup.header).toMatchObject({ format: 1, engine: "pglite", migrations: known() });
    expect(backup.header.counts.Rollout).toBe(3);

    const target: DbTarget = { kind: "pglite", dataDir: join(dir, "restored") };
    const restored = await restoreDatabase(target, file);
    expect(restored.migrated).toEqual([]);
    expect(restored.counts).toEqual(backup.header.counts);
    expect(restored.message).toContain("the audit ledger verifies");
    expect(await countsOf(target)).toEqual(await countsOf(source));

    await expect(restoreDatabase(target, file)).rejects.toThrow(/holds an embedded database\. A restore replaces it .*add --force/);
    await restoreDatabase(target, file, { force: true });
    expect(readdirSync(dir).filter((name) => name.startsWith("restored.replaced-"))).toHaveLength(1);
  }, SLOW);

  it("is refused while another process holds the folder, naming it", async () => {
    const dir = tempDir();
    const source: DbTarget = { kind: "pglite", dataDir: join(dir, "data") };
    await migrate(source);
    const child = spawn(process.execPath, ["--import", "tsx", "tests/support/hold-database.ts", source.dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("holding")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`holder exited with ${code}: ${out}`)));
    });
    const file = join(dir, "held.backup");
    await expect(backupDatabase(source, file)).rejects.toThrow(`pid ${child.pid}`);
    expect(existsSync(file)).toBe(false);
    child.kill("SIGKILL");
  }, SLOW);

  it("migrates a backup from an older schema, refuses one from a newer schema or of the other engine before changing anything", async () => {
    const dir = tempDir();
    // An older release: the migrations folder without its newest migration.
    const older = join(dir, "older-migrations");
    cpSync(MIGRATIONS_DIR, older, { recursive: true });
    const newest = known().at(-1)!;
    rmSync(join(older, newest), { recursive: true });
    const source: DbTarget = { kind: "pglite", dataDir: join(dir, "old") };
    await migrate(source, older);
    const file = join(dir, "old.backup");
    expect((await backupDatabase(source, file)).header.migrations).toEqual(known().slice(0, -1));
    const target: DbTarget = { kind: "pglite", dataDir: join(dir, "upgraded") };
    expect((await restoreDatabase(target, file)).migrated).toEqual([newest]);

    // A newer release's backup: a migration this version does not know.
    const { header, payload } = readBackupFile(file);
    const future = join(dir, "future.backup");
    const futureHeader = { ...header, migrations: [...known(), "29991231000000_from_the_future"] };
    writeFileSync(future, Buffer.concat([Buffer.from(`GREENLIGHT-BACKUP 1\n${JSON.stringify(futureHeader)}\n`), payload]));
    const untouched: DbTarget = { kind: "pglite", dataDir: join(dir, "untouched") };
    await expect(restoreDatabase(untouched, future)).rejects.toThrow(
      "comes from a newer version of the portal (its schema has migrations this version does not know: 29991231000000_from_the_future). Nothing was changed.",
    );
    expect(existsSync(untouched.dataDir)).toBe(false);

    await expect(restoreDatabase({ kind: "postgres", url: "postgresql://nobody@127.0.0.1:1/none" }, file)).rejects.toThrow(/is a backup of an embedded database; it restores only into the same kind/);
    writeFileSync(join(dir, "not-a-backup"), "hello\n{}\n");
    await expect(restoreDatabase(target, join(dir, "not-a-backup"))).rejects.toThrow(/is not a Greenlight backup/);
    expect(readFileSync(file).subarray(0, 19).toString()).toBe("GREENLIGHT-BACKUP 1");
  }, SLOW);
});

describe("a Postgres server", () => {
  it("backs up a consistent snapshot while writes go on, and restores it into a fresh database that verifies with the same counts", async () => {
    const source = await pgTarget();
    await setupDatabase(source);
    const db = createPrismaClient(source);
    setDb(db);
    const dir = tempDir();
    const file = join(dir, "pg.backup");
    let backup: Awaited<ReturnType<typeof backupDatabase>> | undefined;
    let writes = 0;
    let stop = false;
    try {
      // Someone keeps ticking and unticking an item (each change and its audit event in one transaction) during the backup.
      const item = await db.checklistItem.findFirstOrThrow({ where: { ownerRole: "DBA", rollout: { isTemplate: false } }, orderBy: { position: "asc" } });
      const dba = await db.user.findFirstOrThrow({ where: { memberships: { some: { rolloutId: item.rolloutId, role: "DBA" } } } });
      const actor = { id: dba.id, email: dba.email, name: dba.name, locale: null };
      const writer = (async () => {
        let version = item.version;
        let state: "DONE" | "OPEN" = "DONE";
        while (!stop) {
          version = (await updateItemState(actor, { itemId: item.id, version, state })).version;
          state = state === "DONE" ? "OPEN" : "DONE";
          writes += 1;
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 200));
      backup = await backupDatabase(source, file);
      stop = true;
      await writer;
    } finally {
      stop = true;
      await db.$disconnect();
    }
    expect(writes).toBeGreaterThan(1);
    expect(backup!.header).toMatchObject({ engine: "postgres", migrations: known() });

    const target = await pgTarget();
    const restored = await restoreDatabase(target, file);
    // The replay of the restored ledger agrees with its state tables: no write was cut in half.
    expect(restored.message).toContain("the audit ledger verifies");
    expect(restored.counts).toEqual(backup!.header.counts);
    const events = (await countsOf(target)).events;
    expect(events).toBe(backup!.header.counts.AuditEvent);
    expect(events).toBeLessThan((await countsOf(source)).events);

    await expect(restoreDatabase(target, file)).rejects.toThrow(/holds data \(\d+ rows\)\. A restore replaces everything in it: add --force/);
    expect((await restoreDatabase(target, file, { force: true })).counts).toEqual(backup!.header.counts);
  }, SLOW);
});
