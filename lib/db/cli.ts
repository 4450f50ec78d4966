import { migrate, createMigration, diffSchemaAgainstMigrations, MigrationError } from "./migrator";
import { describeDbTarget, resolveDbTarget } from "./target";
import { DataFolderBusyError } from "./lock";

// The seed (and its plan parser) loads only for the commands that need it.
// The database tool behind the npm scripts db:migrate, db:migration, db:check,
// db:reset, db:setup, db:seed, db:backup and db:restore. Exit codes: 0 done, 1 refused or failed, 2 drift.

const usage = `Usage: tsx lib/db/cli.ts <command>
  migrate            apply pending migrations
  migration <name>   write the next migration from schema.prisma
  check              exit 2 when schema.prisma and the migrations differ
  setup              migrate, then seed the sample rollout if the database is empty
  seed               load the sample rollout (refuses when it is already there)
  reset [--force]    drop everything, migrate and seed (non-local hosts need --force)
  backup FILE        write a consistent backup of the database to FILE
  restore FILE [--force]
                     replace the database with FILE's, migrate it, verify the ledger`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "migrate": {
      const target = resolveDbTarget();
      const { applied } = await migrate(target);
      console.log(
        applied.length
          ? `Applied ${applied.length} migration(s) to ${describeDbTarget(target)}: ${applied.join(", ")}`
          : `${describeDbTarget(target)} is up to date; nothing to apply.`,
      );
      return 0;
    }
    case "migration": {
      const name = rest.find((arg) => !arg.startsWith("-"));
      if (!name) {
        console.error("Name the migration: npm run db:migration -- <name>");
        return 1;
      }
      const { written } = await createMigration(name);
      console.log(written ? `Wrote ${written}/migration.sql` : "schema.prisma and the migrations agree: nothing to write.");
      return 0;
    }
    case "check": {
      const sql = await diffSchemaAgainstMigrations();
      if (sql.trim()) {
        console.error(
          "Drift: schema.prisma differs from prisma/migrations. Write a migration with\n" +
            "  npm run db:migration -- <name>\nThe missing SQL:\n" +
            sql,
        );
        return 2;
      }
      console.log("schema.prisma and prisma/migrations agree.");
      return 0;
    }
    case "setup": {
      const { setupDatabase } = await import("./setup");
      const result = await setupDatabase(resolveDbTarget());
      console.log(result.message);
      return 0;
    }
    case "seed": {
      const { setupDatabase } = await import("./setup");
      const result = await setupDatabase(resolveDbTarget(), { seedOnly: true });
      console.log(result.message);
      return 0;
    }
    case "reset": {
      const { resetDatabase } = await import("./setup");
      const result = await resetDatabase(resolveDbTarget(), { force: rest.includes("--force") });
      console.log(result.message);
      return 0;
    }
    case "backup":
    case "restore": {
      const file = rest.find((arg) => !arg.startsWith("-"));
      if (!file) {
        console.error(`Name the file: npm run db:${command} -- FILE`);
        return 1;
      }
      const { backupDatabase, restoreDatabase } = await import("./backup");
      const result = command === "backup" ? await backupDatabase(resolveDbTarget(), file) : await restoreDatabase(resolveDbTarget(), file, { force: rest.includes("--force") });
      console.log(result.message);
      return 0;
    }
    default:
      console.error(usage);
      return command ? 1 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof MigrationError || error instanceof DataFolderBusyError || (error instanceof Error && error.name === "BackupError")) {
      console.error(error.message);
    } else {
      console.error(error);
    }
    process.exit(1);
  },
);
