import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { recordAudit } from "../lib/audit/record";
import { hashPassword } from "../lib/auth/password";
import type { Db } from "../lib/db/client";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../lib/domain/demo";
import type { Role } from "../lib/generated/prisma/enums";
import { writePlan } from "../lib/import/apply";
import { decodePlanBytes } from "../lib/import/decode";
import { readPlan, type ImportedPlan } from "../lib/import/markdown-plan";

// The sample rollout: the team's real plan, repaired and loaded, with one demo account
// per role. Its dates are re-anchored so that the plan's "today" is the seed's today.

export const SAMPLE_PLAN_PATH = fileURLToPath(new URL("./fixtures/PROXIMOS_PASSOS_CHECKLIST.md", import.meta.url));
export const SAMPLE_ROLLOUT_SLUG = "iteration-5";
export { DEMO_ACCOUNTS, DEMO_PASSWORD };

export type SeedOptions = {
  /** The instant the plan's "today" maps to; the plan's own date when omitted. */
  anchor?: Date;
  /** Skip argon2 for demo accounts' hashes (tests that never sign in). */
  passwordHash?: string;
  slug?: string;
};

export function readSamplePlan(): ImportedPlan {
  return readPlan(decodePlanBytes(readFileSync(SAMPLE_PLAN_PATH)).text);
}

export function demoPasswordHash(): Promise<string> {
  return hashPassword(DEMO_PASSWORD);
}

export async function seedSampleRollout(db: Db, options: SeedOptions = {}) {
  const plan = readSamplePlan();
  const planToday = new Date(`${plan.anchorDate}T18:15:00Z`);
  const anchor = options.anchor ?? planToday;
  const passwordHash = options.passwordHash ?? (await demoPasswordHash());
  const slug = options.slug ?? SAMPLE_ROLLOUT_SLUG;

  return db.$transaction(
    async (tx) => {
      const users = new Map<Role, string>();
      for (const account of DEMO_ACCOUNTS) {
        const user = await tx.user.upsert({
          where: { email: account.email },
          update: {},
          create: { email: account.email, name: account.name, passwordHash },
          select: { id: true },
        });
        for (const role of account.roles) users.set(role, user.id);
      }

      // The sample goes through the importer, like any plan (its template is recognised).
      const written = await writePlan(tx, plan, {
        slug,
        name: "Iteração 5 — Próximos Passos",
        description: "Executive team, Operations, Development",
        anchor,
        assignees: users,
        // Phase 1 starts the day after the plan's "today".
        startFirstPhase: anchor.getTime() !== planToday.getTime(),
      });
      const rolloutId = written.rolloutId;
      const rollout = await tx.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
      const phases = { length: written.counts.phases };
      const signOffs = { length: written.counts.signOffs };

      await tx.rolloutMember.createMany({
        data: DEMO_ACCOUNTS.flatMap((account) =>
          account.roles.map((role) => ({ rolloutId, userId: users.get(role)!, role })),
        ),
      });

      await recordAudit(tx, {
        rolloutId,
        actorId: null,
        action: "rollout.seeded",
        targetType: "Rollout",
        targetId: rolloutId,
        after: {
          slug,
          anchor: anchor.toISOString(),
          phases: phases.length,
          signOffs: signOffs.length,
          // Rows created in a state other than their default, so a replay of the ledger
          // (npm run ledger:verify) knows what they started as.
          initialStates: {
            Phase: Object.fromEntries(
              (await tx.phase.findMany({ where: { rolloutId, status: { not: "NOT_STARTED" } }, select: { id: true, status: true } })).map((p) => [p.id, { status: p.status }]),
            ),
          },
        },
      });
      return rollout;
    },
    { timeout: 60_000 },
  );
}
