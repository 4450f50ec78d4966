import "server-only";
import { assertCan, getMemberships } from "../auth/access";
import { can } from "../auth/permissions";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { computeProgress, type Progress } from "../domain/gate";
import type { RoleRef } from "../domain/roles";
import { AppError } from "../errors";
import { CHECKLIST_ROW_SELECT } from "./checklist";
import type { Prisma } from "../generated/prisma/client";
import type { ItemState, Role, SignOffStatus } from "../generated/prisma/enums";
import { GO_NO_GO_BLOCKERS, GO_NO_GO_CRITERIA, GO_NO_GO_DECISIONS, PHASE_PAGE_BLOCKERS, PHASE_PAGE_ITEMS, PHASE_PAGE_SIGN_OFFS } from "../view/limits";
import { showsWaiting, type CardSignOff } from "../view/sign-off-cards";
import { readPhaseGates, type PhaseGate } from "./phase-gates";

// The reads of the pages about gates and decisions: a phase's page, go/no-go and the
// printable summary. Each reads what its page shows and no more: counts and sums in SQL,
// the first N of each list, never a read that grows with the plan (items, events, decisions
// of sign-offs not shown). Each checks the caller's membership and `rollout.view` first.

/** The caller as these pages need them: the rollout, their rights and role identities. */
export type GateViewer = {
  rollout: { id: string; slug: string; name: string; archived: boolean };
  roles: Role[];
  holdings: RoleRef[];
  actorId: string;
};

async function viewerOf(actor: Actor, slug: string): Promise<GateViewer> {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  const roles = await assertCan(actor, membership.rolloutId, "rollout.view");
  // An archived rollout is read-only: the pages offer no write control on it (the server refuses them anyway).
  return {
    rollout: { id: membership.rolloutId, slug: membership.slug, name: membership.name, archived: membership.archived },
    roles,
    holdings: membership.holdings,
    actorId: actor.id,
  };
}

const person = { select: { id: true, name: true } } as const;

/** What a sign-off card shows (`CardSignOff`): the row, its phase's status, its standing decisions. */
const cardSelect = {
  id: true,
  position: true,
  phaseId: true,
  kind: true,
  title: true,
  status: true,
  reference: true,
  description: true,
  amountCents: true,
  currency: true,
  requiredRoles: true,
  requiredCustomRoleIds: true,
  approvalsNeeded: true,
  everyRole: true,
  dueAt: true,
  version: true,
  phase: { select: { status: true } },
  // One standing decision per person at most: bounded by the people who decide it.
  decisions: {
    where: { withdrawnAt: null },
    orderBy: { decidedAt: "asc" },
    select: { id: true, userId: true, role: true, customRoleId: true, value: true, comment: true, decidedAt: true, withdrawnAt: true, user: { select: { name: true } } },
  },
} as const satisfies Prisma.SignOffSelect;

const memberSelect = { role: true, customRoleId: true, user: person } as const satisfies Prisma.RolloutMemberSelect;
export type CardMember = { role: Role; customRoleId: string | null; user: { id: string; name: string } };

/**
 * The active members a card may name as awaited: those holding a role (built-in, or custom
 * by id) that decides one of the shown sign-offs still waiting for a decision. One statement.
 */
function awaitedMembers(rolloutId: string, signOffs: readonly CardSignOff[]): Promise<CardMember[]> {
  const waiting = signOffs.filter(showsWaiting);
  const roles = [...new Set(waiting.flatMap((s) => s.requiredRoles))];
  const customRoleIds = [...new Set(waiting.flatMap((s) => s.requiredCustomRoleIds))];
  return getDb().rolloutMember.findMany({
    where: { rolloutId, user: { active: true }, OR: [{ customRoleId: null, role: { in: roles } }, { customRoleId: { in: customRoleIds } }] },
    orderBy: [{ user: { name: "asc" } }, { roleKey: "asc" }],
    select: memberSelect,
  });
}

export type PhasePage = Awaited<ReturnType<typeof getPhasePage>>;

/**
 * A phase's page: the phase with its progress and gate (the first blockers named, all
 * counted), its first items (the rest are on the checklist, filtered to the phase), its
 * first sign-offs (those awaiting a decision first; shown in the plan's order) with how
 * many it holds, and the members the cards name. Four statements after the membership
 * lookup (the phase with its gate: two; the phase's lists: one; the members: one),
 * whatever the plan's size. A position the rollout has no phase at is NOT_FOUND.
 */
export async function getPhasePage(actor: Actor, slug: string, position: number) {
  const viewer = await viewerOf(actor, slug);
  const rolloutId = viewer.rollout.id;
  const db = getDb();
  // Whoever may assign an item picks among every active member (once per page), and the
  // cards name theirs among them; anyone else reads only those who decide the shown cards.
  const assigns = !viewer.rollout.archived && (can(viewer.roles, "plan.edit") || can(viewer.roles, "item.tick.own"));
  if (!Number.isSafeInteger(position)) throw new AppError("NOT_FOUND", { key: "errors.phases.noSuchPhase" });
  const [{ phases }, detail, everyone] = await Promise.all([
    readPhaseGates(rolloutId, { firstItems: PHASE_PAGE_BLOCKERS, position }),
    db.phase.findUnique({
      where: { rolloutId_position: { rolloutId, position } },
      select: {
        id: true,
        actualStart: true,
        actualEnd: true,
        version: true,
        items: {
          orderBy: [{ list: "asc" }, { position: "asc" }],
          take: PHASE_PAGE_ITEMS,
          select: CHECKLIST_ROW_SELECT,
        },
        // Those awaiting a decision first, then the decided ones, each in the plan's order.
        signOffs: { orderBy: [{ status: "asc" }, { position: "asc" }], take: PHASE_PAGE_SIGN_OFFS, select: cardSelect },
        _count: { select: { items: true, signOffs: true } },
        rollout: { select: { customRoles: { orderBy: { position: "asc" }, select: { id: true, name: true } } } },
      },
    }),
    assigns ? db.rolloutMember.findMany({ where: { rolloutId, user: { active: true } }, orderBy: [{ user: { name: "asc" } }, { roleKey: "asc" }], select: memberSelect }) : null,
  ]);
  const phase = phases.find((p) => p.position === position);
  if (!phase || !detail || detail.id !== phase.id) throw new AppError("NOT_FOUND", { key: "errors.phases.noSuchPhase" });
  const signOffs = [...detail.signOffs].sort((a, b) => a.position - b.position);
  const members = everyone ?? (await awaitedMembers(rolloutId, signOffs));
  return {
    ...viewer,
    customRoles: detail.rollout.customRoles,
    phase: { ...phase, actualStart: detail.actualStart, actualEnd: detail.actualEnd, version: detail.version },
    items: detail.items.map((item) => ({ ...item, phase: { status: phase.status } })),
    itemCount: detail._count.items,
    signOffs,
    signOffCount: detail._count.signOffs,
    /** Active members: every one when the caller may assign items, else those who decide the shown cards. */
    members,
    /** The people items may be assigned to, by name (none when the caller may assign nothing). */
    people: assigns ? uniquePeople(members) : [],
  };
}

function uniquePeople(members: readonly CardMember[]): { id: string; name: string }[] {
  const people = new Map(members.map((m) => [m.user.id, m.user.name]));
  return [...people].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

export type GoNoGoPage = Awaited<ReturnType<typeof getGoNoGoPage>>;

/**
 * The go/no-go page: every phase with its gate (the first blockers named), the plan's
 * go/no-go decisions (the first few, with how many), the success criteria (the first ones,
 * counted in all and verified) and the open required items overdue (counted). Four
 * statements after the membership lookup, whatever the plan's size.
 */
export async function getGoNoGoPage(actor: Actor, slug: string, now: Date = new Date()) {
  const viewer = await viewerOf(actor, slug);
  const rolloutId = viewer.rollout.id;
  const [{ phases }, plan] = await Promise.all([
    readPhaseGates(rolloutId, { firstItems: GO_NO_GO_BLOCKERS }),
    getDb().rollout.findUniqueOrThrow({
      where: { id: rolloutId },
      select: {
        signOffs: { where: { kind: "GO_NO_GO" }, orderBy: { position: "asc" }, take: GO_NO_GO_DECISIONS, select: cardSelect },
        criteria: { orderBy: [{ group: { position: "asc" } }, { position: "asc" }], take: GO_NO_GO_CRITERIA, select: { id: true, text: true, verifiedAt: true } },
        // The verified criteria counted per group (a plan has a handful of groups).
        criterionGroups: { select: { _count: { select: { criteria: { where: { verifiedAt: { not: null } } } } } } },
        customRoles: { orderBy: { position: "asc" }, select: { id: true, name: true } },
        _count: {
          select: {
            criteria: true,
            signOffs: { where: { kind: "GO_NO_GO" } },
            items: { where: { state: "OPEN", optional: false, dueAt: { lt: now } } },
          },
        },
      },
    }),
  ]);
  const members = await awaitedMembers(rolloutId, plan.signOffs);
  return {
    ...viewer,
    customRoles: plan.customRoles,
    phases,
    decisions: plan.signOffs,
    decisionCount: plan._count.signOffs,
    criteria: plan.criteria,
    criteriaCount: plan._count.criteria,
    verifiedCount: plan.criterionGroups.reduce((sum, g) => sum + g._count.criteria, 0),
    overdue: plan._count.items,
    members,
  };
}

/** A role identity's reading: entries on its list, its holders, and entries they read of it (one per person and entry). */
export type ReadingLine = { key: string; role: Role; customName: string | null; entries: number; people: number; read: number; total: number };

export type RolloutSummary = {
  rollout: GateViewer["rollout"];
  phases: PhaseGate[];
  /** Items done of those that apply, over the phases' lists. */
  overall: Progress;
  signOffs: Record<SignOffStatus, number>;
  overdue: number;
  budget: { asked: bigint; approved: bigint; currency: string };
  reading: ReadingLine[];
};

type SummaryRow = {
  progress: Partial<Record<ItemState, number>> | string | null;
  overdue: number;
  signOffs: Partial<Record<SignOffStatus, number>> | string | null;
  asked: string;
  approved: string;
  currency: string | null;
  reading: Omit<ReadingLine, "total">[] | string | null;
};

const json = <T>(value: T | string | null): T | null => (typeof value === "string" ? (JSON.parse(value) as T) : value);

/**
 * The printable summary: every phase with its progress and gate (counted, none named),
 * the overall progress, the sign-offs counted by status, the overdue items counted, the
 * budgets summed, and each role's reading counted. Three statements after the membership
 * lookup (the phases with their gates: two; every figure: one), whatever the plan's size.
 */
export async function getRolloutSummary(actor: Actor, slug: string, now: Date = new Date()): Promise<RolloutSummary> {
  const viewer = await viewerOf(actor, slug);
  const rolloutId = viewer.rollout.id;
  const at = now.toISOString();
  const [{ phases }, [row]] = await Promise.all([
    readPhaseGates(rolloutId, { firstItems: 0 }),
    // Every figure in one statement. Reading: each role identity's entries (in the order of
    // the lists: role, then position), its active holders, and the entries they marked read.
    getDb().$queryRaw<SummaryRow[]>`
      SELECT
        (SELECT json_object_agg(x.state, x.n) FROM (
          SELECT i.state, count(*)::int AS n FROM "ChecklistItem" i WHERE i."rolloutId" = ${rolloutId} AND i.list = 'PHASE' GROUP BY i.state
        ) x) AS progress,
        (SELECT count(*)::int FROM "ChecklistItem" i
          WHERE i."rolloutId" = ${rolloutId} AND i.state = 'OPEN' AND i.optional = false
            AND i."dueAt" < (${at}::timestamptz AT TIME ZONE 'UTC')) AS overdue,
        (SELECT json_object_agg(x.status, x.n) FROM (
          SELECT s.status, count(*)::int AS n FROM "SignOff" s WHERE s."rolloutId" = ${rolloutId} GROUP BY s.status
        ) x) AS "signOffs",
        (SELECT coalesce(sum(s."amountCents"), 0)::text FROM "SignOff" s
          WHERE s."rolloutId" = ${rolloutId} AND s.kind = 'BUDGET' AND s."amountCents" IS NOT NULL) AS asked,
        (SELECT coalesce(sum(s."amountCents"), 0)::text FROM "SignOff" s
          WHERE s."rolloutId" = ${rolloutId} AND s.kind = 'BUDGET' AND s."amountCents" IS NOT NULL AND s.status = 'APPROVED') AS approved,
        (SELECT s.currency FROM "SignOff" s
          WHERE s."rolloutId" = ${rolloutId} AND s.kind = 'BUDGET' AND s."amountCents" IS NOT NULL ORDER BY s.position LIMIT 1) AS currency,
        (SELECT json_agg(json_build_object('key', r.key, 'role', r.role, 'customName', r."customName", 'entries', r.entries, 'people', r.people, 'read', r.read)
                         ORDER BY r.role, r.first, r.key) FROM (
          SELECT e."roleKey" AS key, e.role, rr.name AS "customName", count(*)::int AS entries, min(e.position) AS first,
            (SELECT count(*)::int FROM "RolloutMember" m JOIN "User" u ON u.id = m."userId" AND u.active
              WHERE m."rolloutId" = ${rolloutId} AND m."roleKey" = e."roleKey") AS people,
            (SELECT count(*)::int FROM "ReadState" rs
              JOIN "ReadingListEntry" re ON re.id = rs."entryId"
              JOIN "RolloutMember" m ON m."userId" = rs."userId" AND m."rolloutId" = re."rolloutId" AND m."roleKey" = re."roleKey"
              JOIN "User" u ON u.id = m."userId" AND u.active
              WHERE re."rolloutId" = ${rolloutId} AND re."roleKey" = e."roleKey") AS read
          FROM "ReadingListEntry" e LEFT JOIN "RolloutRole" rr ON rr.id = e."customRoleId"
          WHERE e."rolloutId" = ${rolloutId}
          GROUP BY e."roleKey", e.role, rr.name
        ) r) AS reading
    `,
  ]);
  const signOffs = json(row.signOffs) ?? {};
  return {
    rollout: viewer.rollout,
    phases,
    overall: computeProgress(json(row.progress) ?? {}),
    signOffs: { PENDING: signOffs.PENDING ?? 0, APPROVED: signOffs.APPROVED ?? 0, REJECTED: signOffs.REJECTED ?? 0 },
    overdue: row.overdue,
    budget: { asked: BigInt(row.asked), approved: BigInt(row.approved), currency: row.currency ?? "USD" },
    reading: (json(row.reading) ?? []).map((line) => ({ ...line, total: line.entries * line.people })),
  };
}
