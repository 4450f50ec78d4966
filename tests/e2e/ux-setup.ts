import { createPrismaClient } from "../../lib/db/client";
import { resolveDbTarget } from "../../lib/db/target";
import { seedSampleRollout } from "../../prisma/seed";
import { UX_NAME, UX_SLUG } from "./ux-data";

// The "what users saw" spec (tests/e2e/ux.spec.ts) overrides a gate and decides sign-offs:
// it works on a second copy of the sample plan, with the same demo accounts, so the sample
// rollout the other specs check stays as seeded. It is dated before every other rollout, so
// nobody's first rollout (where signing in lands) changes.

async function main() {
  const db = createPrismaClient(resolveDbTarget());
  try {
    const rollout = await seedSampleRollout(db, { slug: UX_SLUG, anchor: new Date() });
    await db.rollout.update({ where: { id: rollout.id }, data: { name: UX_NAME, createdAt: new Date(0) } });
  } finally {
    await db.$disconnect();
  }
}

// Exits once done, as the project's CLIs do: after the embedded database is closed, a timer
// PGlite armed for a statement or transaction timeout can keep the process alive, and the
// browser tests' server would wait for this script forever.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
