import { DEMO_ACCOUNTS, SAMPLE_ROLLOUT_SLUG, SECOND_DEMO_SLUG, seedSampleRollout, seedSecondDemoRollout } from "../../prisma/seed";
import { openDatabase } from "./adapters";
import { prismaClientFor } from "./client";
import { migrateWith, MigrationError } from "./migrator";
import { describeDbTarget, type DbTarget } from "./target";

export type SetupResult = { migrated: string[]; seeded: boolean; message: string };

/** Migrates, then loads the sample rollout and demo accounts if the database has no rollout yet. */
export async function setupDatabase(target: DbTarget, options: { seedOnly?: boolean } = {}): Promise<SetupResult> {
  const db = await openDatabase(target);
  try {
    const migrated = options.seedOnly ? [] : (await migrateWith(db.factory)).applied;
    const client = prismaClientFor(db.factory);
    try {
      const existing = await client.rollout.count();
      if (existing > 0 && options.seedOnly) {
        throw new MigrationError(`${describeDbTarget(target)} already holds ${existing} rollout(s); seed refused. Use npm run db:reset to start over.`);
      }
      const seeded = existing === 0;
      if (seeded) {
        await seedSampleRollout(client, { anchor: new Date() });
        await seedSecondDemoRollout(client, { anchor: new Date() });
      }
      const parts = [
        migrated.length ? `applied ${migrated.length} migration(s)` : "migrations up to date",
        seeded
          ? `loaded the sample rollout "${SAMPLE_ROLLOUT_SLUG}", the smaller demo rollout "${SECOND_DEMO_SLUG}" and ${DEMO_ACCOUNTS.length} demo accounts`
          : "data kept",
      ];
      return { migrated, seeded, message: `${describeDbTarget(target)}: ${parts.join("; ")}.` };
    } finally {
      await client.$disconnect();
    }
  } finally {
    await db.close();
  }
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** Drops every table and type, then migrates and seeds. */
export async function resetDatabase(target: DbTarget, options: { force?: boolean } = {}): Promise<SetupResult> {
  if (target.kind === "postgres" && !options.force) {
    const host = new URL(target.url).hostname;
    if (!LOCAL_HOSTS.has(host)) {
      throw new MigrationError(
        `Refusing to reset ${describeDbTarget(target)}: it is not on this machine. Add --force if you really mean to erase it.`,
      );
    }
  }
  const db = await openDatabase(target);
  try {
    await db.exec("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
  } finally {
    await db.close();
  }
  const result = await setupDatabase(target);
  return { ...result, message: `Reset. ${result.message}` };
}
