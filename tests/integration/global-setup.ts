import { migrate } from "@/lib/db/migrator";
import { adminQuery } from "./helpers/test-db";
import { templateDatabaseName, withDatabase } from "./helpers/pg-urls";

// On a Postgres server, migrate one template database once; each test file then gets
// its own copy of it in milliseconds (CREATE DATABASE … TEMPLATE …).
export async function setup(): Promise<void> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) return;
  const template = templateDatabaseName(baseUrl);
  await adminQuery(baseUrl, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  await adminQuery(baseUrl, `CREATE DATABASE "${template}"`);
  await migrate({ kind: "postgres", url: withDatabase(baseUrl, template) });
}

export async function teardown(): Promise<void> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) return;
  await adminQuery(baseUrl, `DROP DATABASE IF EXISTS "${templateDatabaseName(baseUrl)}" WITH (FORCE)`);
}
