import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/adapters";
import { prismaClientFor } from "@/lib/db/client";
import {
  createMigration,
  diffSchemaAgainstMigrations,
  migrate,
  MigrationError,
  MIGRATIONS_DIR,
  SCHEMA_PATH,
} from "@/lib/db/migrator";
import type { DbTarget } from "@/lib/db/target";
import { freshTarget } from "./helpers/fresh-target";

const committedMigrations = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

async function target(): Promise<DbTarget> {
  const fresh = await freshTarget();
  disposers.push(fresh.dispose);
  return fresh.target;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "greenlight-mig-"));
  disposers.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function sql<T>(t: DbTarget, query: string): Promise<T[]> {
  const db = await openDatabase(t);
  const client = prismaClientFor(db.factory);
  try {
    return await client.$queryRawUnsafe<T[]>(query);
  } finally {
    await client.$disconnect();
    await db.close();
  }
}

// These run the CLI as child processes (tsx and the schema engine): slow on a loaded machine.
describe("db:migrate", { timeout: 120_000 }, () => {
  it("applies every migration to an empty database, then nothing on a second run", async () => {
    const t = await target();
    expect((await migrate(t)).applied).toEqual(committedMigrations);
    expect((await migrate(t)).applied).toEqual([]);

    const rows = await sql<{ migration_name: string; finished_at: Date | null }>(
      t,
      `SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(committedMigrations);
    expect(rows.every((row) => row.finished_at !== null)).toBe(true);
    const tables = await sql<{ table_name: string }>(
      t,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'ChecklistItem'`,
    );
    expect(tables).toHaveLength(1);
  });

  it("applies only the new migration when the folder grows", async () => {
    const t = await target();
    const dir = tempDir();
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    await migrate(t, dir);
    const name = "29990101000000_add_note_table";
    cpSync(join(dir, committedMigrations[0]), join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, "migration.sql"), `CREATE TABLE "Note" ("id" TEXT PRIMARY KEY);\n`);
    expect((await migrate(t, dir)).applied).toEqual([name]);
  });

  it("refuses, changing nothing, when the database has a migration the folder lacks", async () => {
    const t = await target();
    await migrate(t);
    await sql(
      t,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ('x', 'abc', '29990101000000_from_another_branch', now(), now(), 1)`,
    );
    await expect(migrate(t)).rejects.toThrow(MigrationError);
    await expect(migrate(t)).rejects.toThrow(/29990101000000_from_another_branch/);
  });

  it("refuses when the histories diverge, naming both sides, and applies nothing", async () => {
    const t = await target();
    await migrate(t);
    await sql(
      t,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ('y', 'abc', '29990101000000_theirs', now(), now(), 1)`,
    );
    const dir = tempDir();
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const ours = "29990102000000_ours";
    cpSync(join(dir, committedMigrations[0]), join(dir, ours), { recursive: true });
    writeFileSync(join(dir, ours, "migration.sql"), `CREATE TABLE "Ours" ("id" TEXT PRIMARY KEY);\n`);

    const error = await migrate(t, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/diverges/);
    expect((error as Error).message).toMatch(/29990101000000_theirs/);
    expect((error as Error).message).toMatch(/29990102000000_ours/);
    const ourTable = await sql(t, `SELECT 1 FROM information_schema.tables WHERE table_name = 'Ours'`);
    expect(ourTable).toHaveLength(0);
  });

  it("refuses when an applied migration was edited afterwards", async () => {
    const t = await target();
    const dir = tempDir();
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    await migrate(t, dir);
    const file = join(dir, committedMigrations[0], "migration.sql");
    writeFileSync(file, readFileSync(file, "utf8") + "\n-- edited after the fact\n");
    await expect(migrate(t, dir)).rejects.toThrow(/edited/);
  });
});

describe("db:check and db:migration", { timeout: 120_000 }, () => {
  it("finds no drift between the committed schema and migrations", async () => {
    expect(await diffSchemaAgainstMigrations()).toBe("");
  });

  it("reports drift for a schema edit without a migration, and writes the migration that ends it", async () => {
    const dir = tempDir();
    const migrations = join(dir, "migrations");
    cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
    const schema = join(dir, "schema.prisma");
    writeFileSync(
      schema,
      readFileSync(SCHEMA_PATH, "utf8").replace("model Contact {", "model Contact {\n  email String?"),
    );
    const drift = await diffSchemaAgainstMigrations(migrations, schema);
    expect(drift).toMatch(/ALTER TABLE "Contact" ADD COLUMN\s+"email" TEXT/);

    const written = await createMigration("contact_email", migrations, new Date("2999-01-01T00:00:00Z"), schema);
    expect(written.written).toMatch(/29990101000000_contact_email$/);
    expect(await diffSchemaAgainstMigrations(migrations, schema)).toBe("");
    expect((await createMigration("again", migrations, new Date(), schema)).written).toBeNull();
  });

  it("refuses a migration name that is not lower-case words", async () => {
    await expect(createMigration("Drop Tables; --")).rejects.toThrow(/lower-case/);
  });
});
