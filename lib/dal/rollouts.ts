import "server-only";
import { recordAudit } from "../audit/record";
import { assertCan, getInstanceRights, getMemberships } from "../auth/access";
import { can } from "../auth/permissions";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { computeProgress, evaluateGate, type Gate, type Progress } from "../domain/gate";
import { AppError } from "../errors";
import { Prisma } from "../generated/prisma/client";
import type { ItemState, PhaseStatus, Role } from "../generated/prisma/enums";
import type { CreateRolloutInput, SaveAsTemplateInput, SetArchivedInput } from "../validation/rollouts";
import { copyRolloutStructure, shiftDays } from "./rollout-copy";

// Rollouts as a whole: the home list, creating one (blank, or as a copy of a rollout or a
// template), saving one as a template, archiving. Plan editing lives elsewhere.

export type HomeRollout = {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  startDate: Date;
  archivedAt: Date | null;
  roles: Role[];
  /** The phase under way (or the next one to start); null when every phase is closed. */
  currentPhase: { position: number; name: string; status: PhaseStatus } | null;
  progress: Progress;
  /** What holds the current phase's gate closed: its counts, and the first blockers by name (the first open required items only). */
  gate: Gate | null;
  /** How many blockers the gate has in all. */
  blockerCount: number;
  /** Open items and undecided sign-offs whose due date has passed. */
  overdue: number;
  /** Undecided sign-offs where the person holds one of the approver roles and has not decided. */
  myOpenDecisions: number;
};

const ACTIVE: PhaseStatus[] = ["IN_PROGRESS", "AWAITING_SIGNOFF", "BLOCKED"];

/** The current phase: the first one under way, else the first not started, else none. */
export function currentPhaseOf<P extends { position: number; status: PhaseStatus }>(phases: readonly P[]): P | null {
  const sorted = [...phases].sort((a, b) => a.position - b.position);
  return sorted.find((p) => ACTIVE.includes(p.status)) ?? sorted.find((p) => p.status === "NOT_STARTED") ?? null;
}

/** Open required items named on a card: the first few; the rest are counted. */
const BLOCKER_ITEMS = 3;

/**
 * The rollouts the person belongs to (templates never), active or archived, with each
 * one's figures. Two statements after the (per-request) membership lookup, whatever the
 * number of rollouts and the size of their plans: the rollouts with their phases (each
 * with its first open required items), their undecided sign-offs and their overdue
 * count, joined; and the phase items counted by phase, state and optionality.
 */
export async function listHomeRollouts(actor: Actor, options: { archived?: boolean; now?: Date } = {}): Promise<HomeRollout[]> {
  const now = options.now ?? new Date();
  const memberships = (await getMemberships(actor.id)).filter((m) => !m.isTemplate && m.archived === Boolean(options.archived) && can(m.roles, "rollout.view"));
  if (memberships.length === 0) return [];
  const ids = memberships.map((m) => m.rolloutId);
  const db = getDb();
  const [rollouts, counts] = await Promise.all([
    db.rollout.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        slug: true,
        name: true,
        description: true,
        anchorDate: true,
        archivedAt: true,
        phases: {
          select: {
            id: true,
            position: true,
            name: true,
            status: true,
            items: {
              where: { list: "PHASE", state: "OPEN", optional: false },
              select: { id: true, phaseId: true, text: true, state: true, optional: true },
              orderBy: { position: "asc" },
              take: BLOCKER_ITEMS,
            },
          },
        },
        // Undecided sign-offs: the gate's (pending or rejected) and those awaiting decisions.
        signOffs: {
          where: { status: { not: "APPROVED" } },
          select: {
            id: true,
            phaseId: true,
            title: true,
            status: true,
            requiredForGate: true,
            kind: true,
            dueAt: true,
            requiredRoles: true,
            requiredCustomRoleIds: true,
            decisions: { where: { userId: actor.id, withdrawnAt: null }, select: { id: true } },
          },
          orderBy: { position: "asc" },
        },
        _count: { select: { items: { where: { state: "OPEN", dueAt: { lt: now } } } } },
      },
    }),
    db.checklistItem.groupBy({ by: ["rolloutId", "phaseId", "state", "optional"], where: { rolloutId: { in: ids }, list: "PHASE" }, _count: { _all: true } }),
  ]);

  const byId = new Map(rollouts.map((r) => [r.id, r]));
  return memberships.map((membership) => {
    const rollout = byId.get(membership.rolloutId)!;
    const current = currentPhaseOf(rollout.phases);
    const stateCounts: Partial<Record<ItemState, number>> = {};
    let currentOpenRequired = 0;
    for (const row of counts) {
      if (row.rolloutId !== rollout.id) continue;
      stateCounts[row.state] = (stateCounts[row.state] ?? 0) + row._count._all;
      if (current && row.phaseId === current.id && row.state === "OPEN" && !row.optional) currentOpenRequired += row._count._all;
    }
    // A role's identity is (role, custom role): a custom role's holder does not hold its base role.
    const builtIn = membership.holdings.filter((h) => !h.customRoleId).map((h) => h.role);
    const custom = membership.holdings.flatMap((h) => (h.customRoleId ? [h.customRoleId] : []));
    const undecided = rollout.signOffs.filter((s) => s.status === "PENDING");
    let gate: Gate | null = null;
    if (current) {
      const named = evaluateGate(
        current.items,
        rollout.signOffs.filter((s) => s.phaseId === current.id && s.requiredForGate),
      );
      // The card names the first blockers; the counts are the phase's own.
      gate = { ...named, open: named.open && currentOpenRequired === 0, openItems: currentOpenRequired };
    }
    return {
      id: rollout.id,
      slug: rollout.slug,
      name: rollout.name,
      description: rollout.description,
      startDate: rollout.anchorDate,
      archivedAt: rollout.archivedAt,
      roles: membership.roles,
      currentPhase: current ? { position: current.position, name: current.name, status: current.status } : null,
      progress: computeProgress(stateCounts),
      gate,
      blockerCount: gate ? gate.openItems + gate.pendingSignOffs + gate.rejectedSignOffs : 0,
      overdue: rollout._count.items + undecided.filter((s) => s.dueAt !== null && s.dueAt < now).length,
      myOpenDecisions: undecided.filter(
        (s) => s.decisions.length === 0 && (s.requiredRoles.some((r) => builtIn.includes(r)) || s.requiredCustomRoleIds.some((id) => custom.includes(id))),
      ).length,
    };
  });
}

export type CopySource = { id: string; slug: string; name: string; startDate: Date; isTemplate: boolean; archived: boolean };

/** What the create page offers: whether the person may create, and the templates and rollouts they may copy. */
export async function getCreateOptions(actor: Actor): Promise<{ canCreate: boolean; templates: CopySource[]; rollouts: CopySource[] }> {
  const [rights, memberships] = await Promise.all([getInstanceRights(actor), getMemberships(actor.id)]);
  const visible = memberships.filter((m) => can(m.roles, "rollout.view"));
  const rows = visible.length
    ? await getDb().rollout.findMany({ where: { id: { in: visible.map((m) => m.rolloutId) } }, select: { id: true, anchorDate: true }, orderBy: { createdAt: "desc" } })
    : [];
  const sources = rows.map((row) => {
    const m = visible.find((v) => v.rolloutId === row.id)!;
    return { id: row.id, slug: m.slug, name: m.name, startDate: row.anchorDate, isTemplate: m.isTemplate, archived: m.archived };
  });
  return { canCreate: rights.canCreateRollouts, templates: sources.filter((s) => s.isTemplate), rollouts: sources.filter((s) => !s.isTemplate) };
}

function slugTaken(error: unknown, slug: string): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new AppError("CONFLICT", { key: "errors.rollouts.slugTaken", values: { slug } });
  }
  throw error;
}

/**
 * Creates a rollout, blank or as a copy of a rollout or template the person can see
 * (structure only, every state reset, dates moved to start on `startDate`). The creator
 * becomes its admin.
 */
export async function createRollout(actor: Actor, input: CreateRolloutInput) {
  if (!(await getInstanceRights(actor)).canCreateRollouts) throw new AppError("FORBIDDEN", { key: "errors.rollouts.createForbidden" });
  const source = input.sourceId ? await loadSource(actor, input.sourceId) : null;
  try {
    return await getDb().$transaction(
      async (tx) => {
        const rollout = await tx.rollout.create({
          data: { slug: input.slug, name: input.name, description: input.description ?? null, anchorDate: input.startDate, copiedFromId: source?.id ?? null },
          select: { id: true, slug: true, name: true },
        });
        await tx.rolloutMember.create({ data: { rolloutId: rollout.id, userId: actor.id, role: "ADMIN" } });
        const days = source ? shiftDays(source.anchorDate, input.startDate) : 0;
        const copied = source ? await copyRolloutStructure(tx, source.id, rollout.id, days) : null;
        await recordAudit(tx, {
          rolloutId: rollout.id,
          actorId: actor.id,
          action: "rollout.created",
          targetType: "Rollout",
          targetId: rollout.id,
          after: {
            name: input.name,
            slug: input.slug,
            startDate: input.startDate.toISOString().slice(0, 10),
            description: input.description ?? null,
            ...(source ? { copiedFrom: { slug: source.slug, template: source.isTemplate }, shiftedDays: days, copied } : {}),
          },
        });
        return rollout;
      },
      { timeout: 60_000 },
    );
  } catch (error) {
    slugTaken(error, input.slug);
  }
}

async function loadSource(actor: Actor, sourceId: string) {
  await assertCan(actor, sourceId, "rollout.view");
  return getDb().rollout.findUniqueOrThrow({ where: { id: sourceId }, select: { id: true, slug: true, anchorDate: true, isTemplate: true } });
}

/** Saves a rollout's structure as a template (same start date, every state reset); its creator is the template's admin. */
export async function saveAsTemplate(actor: Actor, input: SaveAsTemplateInput) {
  await assertCan(actor, input.rolloutId, "rollout.template");
  const source = await getDb().rollout.findUniqueOrThrow({ where: { id: input.rolloutId }, select: { id: true, slug: true, anchorDate: true, description: true } });
  try {
    return await getDb().$transaction(
      async (tx) => {
        const template = await tx.rollout.create({
          data: { slug: input.slug, name: input.name, description: source.description, anchorDate: source.anchorDate, isTemplate: true, copiedFromId: source.id },
          select: { id: true, slug: true, name: true },
        });
        await tx.rolloutMember.create({ data: { rolloutId: template.id, userId: actor.id, role: "ADMIN" } });
        const copied = await copyRolloutStructure(tx, source.id, template.id, 0);
        await recordAudit(tx, {
          rolloutId: template.id,
          actorId: actor.id,
          action: "rollout.template.created",
          targetType: "Rollout",
          targetId: template.id,
          after: { name: input.name, slug: input.slug, copiedFrom: { slug: source.slug }, copied },
        });
        return template;
      },
      { timeout: 60_000 },
    );
  } catch (error) {
    slugTaken(error, input.slug);
  }
}

/** Archives (read-only afterwards) or unarchives a rollout, on record. */
export async function setArchived(actor: Actor, input: SetArchivedInput) {
  await assertCan(actor, input.rolloutId, "rollout.archive");
  return getDb().$transaction(async (tx) => {
    const before = await tx.rollout.findUniqueOrThrow({ where: { id: input.rolloutId }, select: { archivedAt: true, version: true } });
    if ((before.archivedAt !== null) === input.archived) return { changed: false };
    const at = new Date();
    const { count } = await tx.rollout.updateMany({
      where: { id: input.rolloutId, version: input.version },
      data: { archivedAt: input.archived ? at : null, archivedById: input.archived ? actor.id : null, version: { increment: 1 } },
    });
    if (count === 0) throw new AppError("STALE", { key: "errors.rollouts.stale" });
    await recordAudit(tx, {
      rolloutId: input.rolloutId,
      actorId: actor.id,
      action: input.archived ? "rollout.archived" : "rollout.unarchived",
      targetType: "Rollout",
      targetId: input.rolloutId,
      before: { archivedAt: before.archivedAt?.toISOString() ?? null },
      after: { archivedAt: input.archived ? at.toISOString() : null },
    });
    return { changed: true };
  });
}

/** The settings page of one rollout: its facts, and what the person may do there. */
export async function getRolloutSettings(actor: Actor, slug: string) {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  await assertCan(actor, membership.rolloutId, "rollout.view");
  const rollout = await getDb().rollout.findUniqueOrThrow({
    where: { id: membership.rolloutId },
    select: { id: true, slug: true, name: true, description: true, anchorDate: true, archivedAt: true, isTemplate: true, version: true, archivedBy: { select: { name: true } } },
  });
  return {
    rollout,
    may: {
      manageMembers: can(membership.roles, "users.manage"),
      // Service accounts and webhooks: seen and revoked (disabled, deleted) by the admins even
      // when archived (lib/dal/api-tokens.ts and webhooks.ts allow those calls); added,
      // enabled and sent again only while the rollout is not archived.
      addIntegrations: can(membership.roles, "users.manage") && !membership.archived,
      archive: can(membership.roles, "rollout.archive"),
      saveAsTemplate: can(membership.roles, "rollout.template"),
    },
  };
}

/**
 * Who archived the rollout and when, for the "archived — read only" banner: null unless it
 * is archived (no query then). A rollout the person does not belong to answers null.
 */
export async function getArchiveRecord(actor: Actor, rolloutId: string): Promise<{ at: Date; by: string | null } | null> {
  const membership = (await getMemberships(actor.id)).find((m) => m.rolloutId === rolloutId);
  if (!membership?.archived) return null;
  const rollout = await getDb().rollout.findUnique({ where: { id: rolloutId }, select: { archivedAt: true, archivedBy: { select: { name: true } } } });
  return rollout?.archivedAt ? { at: rollout.archivedAt, by: rollout.archivedBy?.name ?? null } : null;
}
