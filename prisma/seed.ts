import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { recordAudit } from "../lib/audit/record";
import { copyRolloutStructure, shiftDays } from "../lib/dal/rollout-copy";
import { hashPassword } from "../lib/auth/password";
import type { Db } from "../lib/db/client";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../lib/domain/demo";
import type { Role } from "../lib/generated/prisma/enums";
import { writePlan } from "../lib/import/apply";
import { decodePlanBytes } from "../lib/import/decode";
import { readPlan, type ImportedPlan } from "../lib/import/markdown-plan";

const DAY = 86_400_000;

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

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** The demo accounts (one a role; those already there are kept as they are): each one's user id by email. */
async function upsertDemoAccounts(tx: Tx, passwordHash: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const account of DEMO_ACCOUNTS) {
    const user = await tx.user.upsert({
      where: { email: account.email },
      update: {},
      // The demo's admin also administers the instance (every account, the right to create rollouts).
      create: { email: account.email, name: account.name, passwordHash, isInstanceAdmin: account.roles.includes("ADMIN") },
      select: { id: true },
    });
    ids.set(account.email, user.id);
  }
  return ids;
}

/** Every demo account joins the rollout with its demo roles. */
async function addDemoMembers(tx: Tx, rolloutId: string, accounts: Map<string, string>): Promise<void> {
  await tx.rolloutMember.createMany({
    data: DEMO_ACCOUNTS.flatMap((account) => account.roles.map((role) => ({ rolloutId, userId: accounts.get(account.email)!, role }))),
  });
}

export async function seedSampleRollout(db: Db, options: SeedOptions = {}) {
  const plan = readSamplePlan();
  const planToday = new Date(`${plan.anchorDate}T18:15:00Z`);
  const anchor = options.anchor ?? planToday;
  const passwordHash = options.passwordHash ?? (await demoPasswordHash());
  const slug = options.slug ?? SAMPLE_ROLLOUT_SLUG;

  return db.$transaction(
    async (tx) => {
      const accounts = await upsertDemoAccounts(tx, passwordHash);
      // Each role's demo account: the plan's tasks are assigned to them.
      const users = new Map<Role, string>(DEMO_ACCOUNTS.flatMap((account) => account.roles.map((role) => [role, accounts.get(account.email)!] as const)));

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

      await addDemoMembers(tx, rolloutId, accounts);

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

export const SECOND_DEMO_SLUG = "payments-pilot";
export const DEMO_TEMPLATE_SLUG = "service-launch-template";

/**
 * The demo's second, smaller rollout, made the way a team would: a saved template ("Service
 * launch") copied into a rollout that started a few days before `anchor`. The demo accounts
 * are among its members. It is dated as created before the sample rollout, so the sample
 * stays the one the demo accounts land on after signing in.
 */
export async function seedSecondDemoRollout(db: Db, options: { anchor?: Date; passwordHash?: string } = {}) {
  const anchor = options.anchor ?? new Date();
  const day = (offset: number) => new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), anchor.getUTCDate() + offset));
  const passwordHash = options.passwordHash ?? (await demoPasswordHash());
  const oldest = await db.rollout.findFirst({ orderBy: { createdAt: "asc" }, select: { createdAt: true } });
  const earlier = new Date((oldest?.createdAt.getTime() ?? Date.now()) - 60_000);
  return db.$transaction(
    async (tx) => {
      const users = await upsertDemoAccounts(tx, passwordHash);
      const admin = DEMO_ACCOUNTS.find((a) => a.roles.includes("ADMIN"))!;

      // The template: a plan's structure with dates relative to its own start date.
      const templateStart = day(-30);
      const at = (offset: number) => new Date(templateStart.getTime() + offset * DAY);
      const template = await tx.rollout.create({
        data: {
          slug: DEMO_TEMPLATE_SLUG,
          name: "Service launch (template)",
          description: "Two phases: prepare, then launch with a joint sign-off.",
          anchorDate: templateStart,
          isTemplate: true,
          createdAt: earlier,
        },
      });
      await tx.rolloutMember.create({ data: { rolloutId: template.id, userId: users.get(admin.email)!, role: "ADMIN" } });
      const qaLead = await tx.rolloutRole.create({ data: { rolloutId: template.id, slug: "qa-lead", name: "QA Lead", baseRole: "DEV_LEAD", position: 0 } });
      const prepare = await tx.phase.create({
        data: { rolloutId: template.id, position: 1, name: "Preparation", goal: "Everything ready to switch on", plannedStart: at(1), plannedEnd: at(7) },
      });
      const launch = await tx.phase.create({
        data: { rolloutId: template.id, position: 2, name: "Launch", goal: "Live for every customer", plannedStart: at(8), plannedEnd: at(14) },
      });
      const signOff = await tx.signOff.create({
        data: {
          rolloutId: template.id,
          phaseId: prepare.id,
          kind: "PRODUCTION_DEPLOYMENT",
          position: 0,
          title: "Approve the launch",
          requiredRoles: ["EXECUTIVE", "OPS_MANAGER"],
          approvalsNeeded: 2,
          everyRole: true,
          dueAt: at(7),
        },
      });
      await tx.checklistItem.createMany({
        data: [
          { rolloutId: template.id, phaseId: prepare.id, list: "PHASE", position: 0, text: "Runbook written and reviewed", ownerRole: "OPS_MANAGER", dueAt: at(5) },
          { rolloutId: template.id, phaseId: prepare.id, list: "PHASE", position: 1, text: "Test plan signed off by QA", ownerRole: "DEV_LEAD", ownerCustomRoleId: qaLead.id, dueAt: at(6) },
          { rolloutId: template.id, phaseId: prepare.id, list: "PHASE", position: 2, text: "Launch approved", ownerRole: "EXECUTIVE", signOffId: signOff.id, dueAt: at(7) },
          { rolloutId: template.id, phaseId: launch.id, list: "PHASE", position: 0, text: "Switch traffic over", ownerRole: "DEVOPS", dueAt: at(9) },
          { rolloutId: template.id, phaseId: launch.id, list: "PHASE", position: 1, text: "First week reviewed with the team", ownerRole: "DEV_LEAD", dueAt: at(14) },
          { rolloutId: template.id, list: "IMMEDIATE", position: 0, text: "Book the launch review meeting", ownerRole: "DEV_LEAD", dueAt: at(2) },
        ],
      });
      const document = await tx.document.create({
        data: { rolloutId: template.id, key: "launch-runbook", title: "Launch runbook", path: "docs/launch-runbook.md", summary: ["Steps, owners and how to roll back"], body: "# Launch runbook\n\nSteps, owners and how to roll back." },
      });
      await tx.readingListEntry.createMany({
        data: [
          { rolloutId: template.id, role: "OPS_MANAGER", documentId: document.id, position: 0, minutes: 15, sectionHint: "Rolling back" },
          { rolloutId: template.id, role: "DEV_LEAD", customRoleId: qaLead.id, documentId: document.id, position: 0, minutes: 10, sectionHint: null },
        ],
      });
      const group = await tx.criterionGroup.create({ data: { rolloutId: template.id, name: "Customer experience", position: 0 } });
      await tx.successCriterion.createMany({
        data: [
          { rolloutId: template.id, groupId: group.id, position: 0, text: "No rise in support tickets in the first week" },
          { rolloutId: template.id, groupId: group.id, position: 1, text: "Response times within the agreed limits" },
        ],
      });
      await tx.contact.create({ data: { rolloutId: template.id, position: 0, topic: "Test plan", role: "DEV_LEAD", customRoleId: qaLead.id, roleLabel: "QA Lead" } });
      await tx.milestone.create({ data: { rolloutId: template.id, phaseId: launch.id, key: "go-live", position: 0, label: "Go live", startsAt: at(8), details: [] } });
      await recordAudit(tx, { rolloutId: template.id, actorId: null, action: "rollout.seeded", targetType: "Rollout", targetId: template.id, after: { slug: DEMO_TEMPLATE_SLUG, template: true } });

      // The rollout made from it, started three days ago.
      const start = day(-3);
      const rollout = await tx.rollout.create({
        data: { slug: SECOND_DEMO_SLUG, name: "Payments pilot", description: "A smaller rollout made from the Service launch template.", anchorDate: start, copiedFromId: template.id, createdAt: earlier },
      });
      const copied = await copyRolloutStructure(tx, template.id, rollout.id, shiftDays(templateStart, start));
      const customQa = await tx.rolloutRole.findFirstOrThrow({ where: { rolloutId: rollout.id, slug: "qa-lead" } });
      await addDemoMembers(tx, rollout.id, users);
      // The development lead also holds the rollout's own QA Lead role.
      const devLead = DEMO_ACCOUNTS.find((a) => a.roles.includes("DEV_LEAD"))!;
      await tx.rolloutMember.create({ data: { rolloutId: rollout.id, userId: users.get(devLead.email)!, role: customQa.baseRole, customRoleId: customQa.id } });
      await tx.phase.updateMany({ where: { rolloutId: rollout.id, position: 1 }, data: { status: "IN_PROGRESS", actualStart: start } });
      await recordAudit(tx, {
        rolloutId: rollout.id,
        actorId: null,
        action: "rollout.seeded",
        targetType: "Rollout",
        targetId: rollout.id,
        after: { slug: SECOND_DEMO_SLUG, copiedFrom: { slug: DEMO_TEMPLATE_SLUG, template: true }, copied },
      });
      // Its first phase was started: on the ledger too, so the ledger's replay agrees with the state tables.
      const firstPhase = await tx.phase.findFirstOrThrow({ where: { rolloutId: rollout.id, position: 1 } });
      await recordAudit(tx, {
        rolloutId: rollout.id,
        actorId: null,
        action: "phase.start",
        targetType: "Phase",
        targetId: firstPhase.id,
        before: { status: "NOT_STARTED", version: firstPhase.version },
        after: { status: "IN_PROGRESS", reason: null },
      });
      return { template, rollout };
    },
    { timeout: 60_000 },
  );
}
