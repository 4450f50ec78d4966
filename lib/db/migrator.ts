import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm";
import { openDatabase } from "./adapters";
import type { DbTarget } from "./target";

// Migrations run through Prisma's schema engine compiled to WebAssembly, driven over
// the same driver adapters as the app. The CLI's native engine cannot be downloaded on
// machines without internet access; the WASM engine writes the same
// `_prisma_migrations` table and computes the same diffs, so `prisma migrate` stays
// interchangeable wherever it does work.

export const MIGRATIONS_DIR = resolve("prisma/migrations");
export const SCHEMA_PATH = resolve("prisma/schema.prisma");
const LOCKFILE = "migration_lock.toml";
const FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

type EngineModule = typeof import("@prisma/schema-engine-wasm");
let engineModule: Promise<EngineModule> | undefined;

/** The package entry imports a .wasm file directly, which Node cannot; instantiate it by hand. */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const bg = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as EngineModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const require = createRequire(import.meta.url);
    const wasmPath = join(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"), "..", "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {
      "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return engineModule;
}

async function withEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const schema = readFileSync(SCHEMA_PATH, "utf8");
  const engine = await SchemaEngine.new(
    { datamodels: [["schema.prisma", schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await fn(engine);
  } catch (error) {
    throw new MigrationError(engineErrorMessage(error));
  } finally {
    engine.free();
  }
}

function engineErrorMessage(error: unknown): string {
  if (error instanceof MigrationError) return error.message;
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error && "message" in error) return String((error as { message: unknown }).message);
  return String(error);
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationList {
  const names = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  const lockPath = join(dir, LOCKFILE);
  return {
    baseDir: dir,
    lockfile: { path: LOCKFILE, content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: names.map((name) => {
      const file = join(dir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file)
            ? { tag: "ok" as const, value: readFileSync(file, "utf8") }
            : { tag: "error" as const, value: `${file} is missing` },
        },
      };
    }),
  };
}

export type MigrateResult = { applied: string[] };

/** What `prisma migrate deploy` does: applies pending migrations, refusing a diverged history. */
export async function migrate(target: DbTarget, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const db = await openDatabase(target);
  try {
    return await migrateWith(db.factory, dir);
  } finally {
    await db.close();
  }
}

/** `migrate` over an adapter factory the caller already holds (tests, an open PGlite). */
export async function migrateWith(factory: SqlMigrationAwareDriverAdapterFactory, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const migrationsList = readMigrations(dir);
  if (migrationsList.migrationDirectories.length === 0) {
    throw new MigrationError(`No migrations in ${dir}. Write one with: npm run db:migration -- <name>`);
  }
  return withEngine(factory, async (engine) => {
    const diagnosis = await engine.diagnoseMigrationHistory({
      migrationsList,
      optInToShadowDatabase: false,
      filters: FILTERS,
    });
    const problems: string[] = [];
    if (diagnosis.failedMigrationNames.length) {
      problems.push(`these migrations failed earlier and must be resolved by hand: ${diagnosis.failedMigrationNames.join(", ")}`);
    }
    if (diagnosis.editedMigrationNames.length) {
      problems.push(`these applied migrations were edited since: ${diagnosis.editedMigrationNames.join(", ")}`);
    }
    const history = diagnosis.history;
    if (history?.diagnostic === "migrationsDirectoryIsBehind") {
      problems.push(`the database has migrations the folder does not: ${history.unpersistedMigrationNames.join(", ")}`);
    } else if (history?.diagnostic === "historiesDiverge") {
      problems.push(
        `the database's history diverges from the folder after ${history.lastCommonMigrationName ?? "the start"} ` +
          `(only in the database: ${history.unpersistedMigrationNames.join(", ") || "none"}; ` +
          `only in the folder: ${history.unappliedMigrationNames.join(", ") || "none"})`,
      );
    }
    if (problems.length) {
      throw new MigrationError(
        `Refusing to migrate: ${problems.join("; ")}. Nothing was applied. ` +
          `Restore the missing migrations, or reset a disposable database with npm run db:reset.`,
      );
    }
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: FILTERS });
    return { applied: appliedMigrationNames };
  });
}

/** The SQL that takes the migrations folder to the schema; empty when they agree. */
export async function diffSchemaAgainstMigrations(dir = MIGRATIONS_DIR, schemaPath = SCHEMA_PATH): Promise<string> {
  // The shadow database the diff replays migrations into is an in-memory PGlite:
  // it needs no server and leaves nothing behind.
  const shadow = await openDatabase({ kind: "pglite-memory" });
  try {
    return await withEngine(shadow.factory, async (engine) => {
      const migrations = readMigrations(dir);
      const result = await engine.diff({
        from: migrations.migrationDirectories.length ? { tag: "migrations", ...migrations } : { tag: "empty" },
        to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: readFileSync(schemaPath, "utf8") }] },
        script: true,
        exitCode: true,
        filters: FILTERS,
      });
      return result.exitCode === 2 ? (result.stdout ?? "") : "";
    });
  } finally {
    await shadow.close();
  }
}

export type CreateMigrationResult = { written: string | null; sql: string };

/** Writes `<timestamp>_<name>/migration.sql` from the diff, or nothing when there is no change. */
export async function createMigration(
  name: string,
  dir = MIGRATIONS_DIR,
  now = new Date(),
  schemaPath = SCHEMA_PATH,
): Promise<CreateMigrationResult> {
  if (!/^[a-z0-9][a-z0-9_]{0,60}$/.test(name)) {
    throw new MigrationError(`A migration name is lower-case letters, digits and underscores (got "${name}").`);
  }
  const sql = await diffSchemaAgainstMigrations(dir, schemaPath);
  if (!sql.trim()) return { written: null, sql: "" };
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const folder = join(dir, `${stamp}_${name}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "migration.sql"), sql);
  const lockPath = join(dir, LOCKFILE);
  if (!existsSync(lockPath)) {
    writeFileSync(
      lockPath,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  return { written: folder, sql };
}
