import { hashPassword } from "../../lib/auth/password";
import { createPrismaClient } from "../../lib/db/client";
import { resolveDbTarget } from "../../lib/db/target";
import { DEMO_PASSWORD } from "../../lib/domain/demo";
import { EDITOR_EMAIL, EDITOR_SLUG } from "./plan-editor-data";

// The plan editor's browser test works on a rollout of its own, made here before the
// server starts: empty, with one person who administers it and belongs to nothing else,
// so the demo accounts and the sample rollout the other specs use stay as they are. It is
// dated before the sample, so nobody's first rollout changes.

async function main() {
  const db = createPrismaClient(resolveDbTarget());
  try {
    const rollout = await db.rollout.create({ data: { slug: EDITOR_SLUG, name: "Editor journey", anchorDate: new Date(), createdAt: new Date(0) } });
    const user = await db.user.create({ data: { email: EDITOR_EMAIL, name: "Plan Editor", passwordHash: await hashPassword(DEMO_PASSWORD) } });
    await db.rolloutMember.create({ data: { rolloutId: rollout.id, userId: user.id, role: "ADMIN" } });
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
