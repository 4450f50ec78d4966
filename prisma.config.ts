import { defineConfig } from "prisma/config";

// The Prisma CLI insists on locating its native schema engine even for `generate`,
// which never runs it, and cannot download it on machines without internet access.
// Pointing it at any existing executable lets `prisma generate` run; migrations go
// through the WebAssembly engine instead (lib/db/migrator.ts).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
