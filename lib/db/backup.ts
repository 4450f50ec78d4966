import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { checkLedger } from "../audit/check";
import { openDatabase } from "./adapters";
import { prismaClientFor } from "./client";
import { acquireFolderLock } from "./lock";
import { migrate, MIGRATIONS_DIR, readMigrations } from "./migrator";
import { describeDbTarget, type DbTarget } from "./target";

// npm run db:backup -- FILE / npm run db:restore -- FILE [--force]
//
// A backup file is one line naming the format, one line of JSON saying what it holds (the
// engine, the migrations applied — the schema version —, the row count of every table),
// then the database itself: pg_dump's custom format for a Postgres server (taken inside
// a snapshot the portal keeps writing around), PGlite's own data-folder dump for the
// embedded database (taken while holding the folder's lock, so never while the portal
// runs on it). A restore refuses a file from a newer schema before touching anything,
// migrates an older one, and verifies the audit ledger before it reports success.

const MAGIC = "GREENLIGHT-BACKUP 1";

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

export type BackupHeader = {
  format: 1;
  engine: "postgres" | "pglite";
  createdAt: string;
  /** The migrations applied, oldest first: the schema version. */
  migrations: string[];
  /** Rows per table at the moment of the snapshot. */
  counts: Record<string, number>;
};

type Query = (sql: string) => Promise<{ rows: Record<string, unknown>[] }>;

async function appliedMigrations(query: Query): Promise<string[]> {
  const exists = await query(`SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS "exists"`);
  if (!exists.rows[0]?.exists) return [];
  const { rows } = await query(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`);
  return rows.map((row) => String(row.migration_name));
}

/** Rows per table of the public schema (the migrations' own table left out). */
async function tableCounts(query: Query): Promise<Record<string, number>> {
  const { rows } = await query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`,
  );
  const names = rows.map((row) => String(row.table_name));
  if (names.length === 0) return {};
  const sql = names.map((name) => `SELECT '${name.replace(/'/g, "''")}' AS t, count(*)::int AS n FROM public."${name.replace(/"/g, '""')}"`).join(" UNION ALL ");
  const counts: Record<string, number> = {};
  for (const row of (await query(sql)).rows) counts[String(row.t)] = Number(row.n);
  return counts;
}

// ── the file ──────────────────────────────────────────────────────────────────────────

function writeBackupFile(file: string, header: BackupHeader, payload: Buffer): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, Buffer.concat([Buffer.from(`${MAGIC}\n${JSON.stringify(header)}\n`), payload]));
  renameSync(partial, file);
}

export function readBackupFile(file: string): { header: BackupHeader; payload: Buffer } {
  if (!existsSync(file)) throw new BackupError(`No backup file at ${file}.`);
  const bytes = readFileSync(file);
  const first = bytes.indexOf(0x0a);
  const second = first >= 0 ? bytes.indexOf(0x0a, first + 1) : -1;
  if (first < 0 || second < 0 || bytes.subarray(0, first).toString() !== MAGIC) {
    throw new BackupError(`${file} is not a Greenlight backup (made by npm run db:backup).`);
  }
  let header: BackupHeader;
  try {
    header = JSON.parse(bytes.subarray(first + 1, second).toString()) as BackupHeader;
  } catch {
    throw new BackupError(`${file} is damaged: its description is not readable.`);
  }
  if (header.format !== 1 || !["postgres", "pglite"].includes(header.engine) || !Array.isArray(header.migrations)) {
    throw new BackupError(`${file} is a backup format this version does not read.`);
  }
  return { header, payload: bytes.subarray(second + 1) };
}

// ── Postgres tools ────────────────────────────────────────────────────────────────────

/** pg_dump / pg_restore: the server's own major version's when installed, else the one on PATH. */
function pgTool(name: "pg_dump" | "pg_restore", serverMajor: number): string {
  const versioned = `/usr/lib/postgresql/${serverMajor}/bin/${name}`;
  if (existsSync(versioned)) return versioned;
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new BackupError(`${name} was not found. Install the PostgreSQL client tools of version ${serverMajor} or later (e.g. the postgresql-client package).`);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], env });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new BackupError(`${command.split("/").at(-1)} failed (exit ${code}): ${stderr.trim()}`))));
  });
}

async function pgClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

// ── backup ────────────────────────────────────────────────────────────────────────────

export type BackupResult = { file: string; header: BackupHeader; bytes: number; message: string };

export async function backupDatabase(target: DbTarget, file: string): Promise<BackupResult> {
  if (target.kind === "pglite-memory") throw new BackupError("An in-memory database has nothing to back up.");
  const { header, payload } = target.kind === "postgres" ? await dumpPostgres(target.url) : await dumpPglite(target.dataDir);
  if (header.migrations.length === 0) throw new BackupError(`${describeDbTarget(target)} has no migrations applied: nothing to back up.`);
  writeBackupFile(file, header, payload);
  const bytes = statSync(file).size;
  const rows = Object.values(header.counts).reduce((a, b) => a + b, 0);
  return {
    file,
    header,
    bytes,
    message: `Backed up ${describeDbTarget(target)} to ${file}: ${rows} rows in ${Object.keys(header.counts).length} tables, schema at ${header.migrations.at(-1)}, ${bytes} bytes.`,
  };
}

async function dumpPostgres(url: string): Promise<{ header: BackupHeader; payload: Buffer }> {
  const client = await pgClient(url);
  const work = mkdtempSync(join(tmpdir(), "greenlight-backup-"));
  try {
    // One snapshot for everything: the description is read in it, and pg_dump joins it,
    // so the file is the database at one instant while the portal keeps writing.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const snapshot = String((await client.query("SELECT pg_export_snapshot() AS id")).rows[0].id);
    const serverMajor = Math.floor(Number((await client.query("SHOW server_version_num")).rows[0].server_version_num) / 10000);
    const query: Query = (sql) => client.query(sql);
    const header: BackupHeader = { format: 1, engine: "postgres", createdAt: new Date().toISOString(), migrations: await appliedMigrations(query), counts: await tableCounts(query) };
    const dump = join(work, "db.dump");
    await run(pgTool("pg_dump", serverMajor), ["--format=custom", "--no-owner", "--no-privileges", `--snapshot=${snapshot}`, `--file=${dump}`, `--dbname=${url}`]);
    await client.query("COMMIT");
    return { header, payload: readFileSync(dump) };
  } finally {
    await client.end().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}

async function dumpPglite(dataDir: string): Promise<{ header: BackupHeader; payload: Buffer }> {
  if (!existsSync(dataDir)) throw new BackupError(`There is no embedded database in ${dataDir}.`);
  // Refused, naming the holder, while another process (the running portal) has the folder.
  const release = acquireFolderLock(dataDir);
  try {
    const db = await PGlite.create(dataDir);
    try {
      const query: Query = (sql) => db.query(sql);
      const header: BackupHeader = { format: 1, engine: "pglite", createdAt: new Date().toISOString(), migrations: await appliedMigrations(query), counts: await tableCounts(query) };
      const dump = await db.dumpDataDir("gzip");
      return { header, payload: Buffer.from(await dump.arrayBuffer()) };
    } finally {
      await db.close();
    }
  } finally {
    release();
  }
}

// ── restore ───────────────────────────────────────────────────────────────────────────

export type RestoreResult = { header: BackupHeader; migrated: string[]; counts: Record<string, number>; ledger: string[]; message: string };

export async function restoreDatabase(target: DbTarget, file: string, options: { force?: boolean; migrationsDir?: string } = {}): Promise<RestoreResult> {
  if (target.kind === "pglite-memory") throw new BackupError("Restore into a Postgres server or an embedded database folder.");
  const { header, payload } = readBackupFile(file);
  const engine = target.kind === "postgres" ? "postgres" : "pglite";
  if (header.engine !== engine) {
    throw new BackupError(
      `${file} is a backup of ${header.engine === "postgres" ? "a Postgres server" : "an embedded database"}; it restores only into the same kind ` +
        `(set ${header.engine === "postgres" ? "DATABASE_URL" : "GREENLIGHT_DATA_DIR and unset DATABASE_URL"}).`,
    );
  }
  const dir = options.migrationsDir ?? MIGRATIONS_DIR;
  const known = new Set(readMigrations(dir).migrationDirectories.map((m) => m.path));
  const unknown = header.migrations.filter((name) => !known.has(name));
  if (unknown.length) {
    throw new BackupError(
      `${file} comes from a newer version of the portal (its schema has migrations this version does not know: ${unknown.join(", ")}). ` +
        `Nothing was changed. Restore it with that version or a later one.`,
    );
  }
  if (target.kind === "postgres") await loadPostgres(target.url, payload, options.force ?? false, describeDbTarget(target));
  else await loadPglite(target.dataDir, payload, options.force ?? false);

  const { applied } = await migrate(target, dir);
  const opened = await openDatabase(target);
  const db = prismaClientFor(opened.factory);
  try {
    const query: Query = async (sql) => ({ rows: (await db.$queryRawUnsafe(sql)) as Record<string, unknown>[] });
    const counts = await tableCounts(query);
    const { lines, findings } = await checkLedger(db);
    if (findings > 0) {
      throw new BackupError(`Restored ${file} into ${describeDbTarget(target)}, but the audit ledger does not verify (${findings} finding(s)):\n${lines.filter((l) => l.startsWith("FAIL")).join("\n")}`);
    }
    const differs = Object.entries(header.counts).filter(([table, n]) => counts[table] !== n);
    if (differs.length) {
      throw new BackupError(`Restored ${file}, but these tables' row counts differ from the backup's: ${differs.map(([t, n]) => `${t} ${counts[t]} (backup ${n})`).join(", ")}.`);
    }
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    return {
      header,
      migrated: applied,
      counts,
      ledger: lines,
      message:
        `Restored ${file} (taken ${header.createdAt}) into ${describeDbTarget(target)}: ${rows} rows, ` +
        (applied.length ? `migrated from ${header.migrations.at(-1)} with ${applied.join(", ")}; ` : `schema at ${header.migrations.at(-1)}; `) +
        `the audit ledger verifies (${lines.length} checks).`,
    };
  } finally {
    await db.$disconnect();
    await opened.close();
  }
}

async function loadPostgres(url: string, payload: Buffer, force: boolean, where: string): Promise<void> {
  const client = await pgClient(url);
  const work = mkdtempSync(join(tmpdir(), "greenlight-restore-"));
  try {
    const counts = await tableCounts((sql) => client.query(sql));
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    if (rows > 0 && !force) {
      throw new BackupError(`${where} holds data (${rows} rows). A restore replaces everything in it: add --force to go ahead.`);
    }
    const serverMajor = Math.floor(Number((await client.query("SHOW server_version_num")).rows[0].server_version_num) / 10000);
    const dump = join(work, "db.dump");
    writeFileSync(dump, payload);
    await client.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
    await run(pgTool("pg_restore", serverMajor), ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", `--dbname=${url}`, dump]);
  } finally {
    await client.end().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}

async function loadPglite(dataDir: string, payload: Buffer, force: boolean): Promise<void> {
  const release = acquireFolderLock(dataDir);
  try {
    const occupied = existsSync(dataDir) && readdirSync(dataDir).length > 0;
    if (occupied && !force) {
      throw new BackupError(`${dataDir} holds an embedded database. A restore replaces it (the old folder is kept beside it): add --force to go ahead.`);
    }
    // Loaded into a folder of its own first: a failed load leaves the current one as it was.
    const staging = mkdtempSync(join(dirname(dataDir), ".restoring-"));
    rmSync(staging, { recursive: true, force: true });
    const db = await PGlite.create({ dataDir: staging, loadDataDir: new Blob([new Uint8Array(payload)]) });
    await db.close();
    if (existsSync(dataDir)) renameSync(dataDir, `${dataDir}.replaced-${new Date().toISOString().replace(/[:.]/g, "-")}`);
    renameSync(staging, dataDir);
  } finally {
    release();
  }
}
