// Opens a PGlite folder the way the portal does, answers one query, then holds it
// until killed. Used to prove that a second process is refused.
import { createPrismaClient } from "../../lib/db/client";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: hold-database.ts <dataDir>");
const db = createPrismaClient({ kind: "pglite", dataDir });
await db.$queryRaw`SELECT 1`;
console.log(`holding ${process.pid}`);
setInterval(() => {}, 1 << 30);
