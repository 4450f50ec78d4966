import "server-only";
import { assertCan, getMemberships } from "../auth/access";
import { can } from "../auth/permissions";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { roleFromSlug } from "../domain/home";
import { roleKeyOf, type RoleRef } from "../domain/roles";
import type { DecisionValue, ItemList, ItemState, PhaseStatus, Role, SignOffKind, SignOffStatus } from "../generated/prisma/enums";
import { Prisma } from "../generated/prisma/client";
import { burnDownFromDays, type PhaseItemCounts } from "../view/timeline";
import {
  DASHBOARD_FIRST_CARDS,
  DASHBOARD_FIRST_N,
  EXECUTIVE_FIRST_N,
  DASHBOARD_FIRST_READING,
  DASHBOARD_FIRST_RISKS,
  DASHBOARD_GATE_BLOCKERS,
} from "../view/limits";
import { readPhaseGates, type PhaseGate } from "./phase-gates";
import { listHeldCustomRoles } from "./roles";
import type { CardSignOff } from "../view/sign-off-cards";
import type { BurnDownData } from "./timeline";

// A role dashboard's data: what the page shows and nothing more. Counts are counted by the
// database and lists are read up to the figure the page shows (lib/view/limits.ts), so a
// dashboard reads as much on a 5,000-item plan as on the sample.

const DAY = 86_400_000;

/** A checklist row as the dashboard lists it (the checklist rules of lib/view/dashboard.ts read it). */
export type DashboardItem = {
  id: string;
  list: ItemList;
  phaseId: string | null;
  text: string;
  state: ItemState;
  version: number;
  optional: boolean;
  evidence: string | null;
  notApplicableReason: string | null;
  dueAt: Date | null;
  ownerRole: Role | null;
  ownerCustomRoleId: string | null;
  assigneeId: string | null;
  stateChangedAt: Date | null;
  phase: { status: PhaseStatus } | null;
  assignee: { name: string } | null;
  stateChangedBy: { name: string } | null;
};

/** A sign-off as its card shows it (`signOffCard`, lib/view/sign-off-cards.ts), with its standing and withdrawn decisions. */
export type DashboardSignOff = CardSignOff & {
  kind: SignOffKind;
  /** The reading lists' documents whose path starts the reference (for `referencedDocument`); security policies only. */
  documents: { id: string; title: string; path: string | null }[];
};

/** The first rows of a list and how many there are in all. */
export type FirstOf<T> = { rows: T[]; total: number };

export type TeamReading = {
  key: string;
  role: Role;
  /** The custom role's own name; null for a built-in role (said in the reader's language). */
  customName: string | null;
  entries: number;
  minutes: number;
  perPerson: { person: { id: string; name: string }; read: number }[];
  read: number;
  total: number;
  percent: number;
};

export type RoleDashboard = {
  rollout: { id: string; slug: string; name: string; archived: boolean };
  /** The caller's rights in the rollout, the role identities they hold, who they are: what the checklist and sign-off rules read. */
  roles: Role[];
  holdings: RoleRef[];
  actorId: string;
  /** The dashboard's role identity, and its own name when it is a custom role. */
  ref: RoleRef;
  custom: { id: string; name: string } | null;
  customRoles: { id: string; slug: string; name: string; baseRole: Role }[];
  /** The rollout's active members: who a sign-off waits for, and whom a row may be assigned to. */
  members: { role: Role; customRoleId: string | null; user: { id: string; name: string } }[];
  nextDay: { items: FirstOf<DashboardItem>; decisions: FirstOf<DashboardSignOff> };
  checklist: FirstOf<DashboardItem>;
  reading: {
    entries: { id: string; position: number; minutes: number; sectionHint: string | null; read: boolean; document: { id: string; title: string; path: string | null } }[];
    total: number;
    read: number;
    minutes: number;
  };
  /** The sign-offs this identity is an approver of, pending ones first. */
  signOffs: FirstOf<DashboardSignOff>;
  executive: {
    phases: PhaseGate[];
    overall: { done: number; total: number; notApplicable: number; percent: number };
    charts: Pick<BurnDownData, "startedAt" | "phases" | "burnDown">;
    risk: { overdue: FirstOf<{ id: string; text: string }>; rejected: FirstOf<{ id: string; title: string }> };
    budget: { asked: bigint; approved: bigint; currency: string };
    team: TeamReading[];
  } | null;
  security: {
    policies: DashboardSignOff[];
    others: FirstOf<DashboardSignOff>;
    approvedPolicies: number;
    lackingPolicies: number;
    lackingOthers: number;
  } | null;
  operations: {
    current: { id: string; name: string; position: number } | null;
    onCall: FirstOf<DashboardItem>;
    criteria: FirstOf<{ id: string; text: string; verifiedAt: Date | null }>;
    overdue: number;
  } | null;
};

type Row = Record<string, unknown>;

/** A timestamp column as JSON gives it (UTC clock time, no zone): a Date. */
const date = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(`${String(value)}${/Z|[+-]\d\d:?\d\d$/.test(String(value)) ? "" : "Z"}`));

function toItem(row: Row): DashboardItem {
  return {
    id: row.id as string,
    list: row.list as ItemList,
    phaseId: (row.phaseId as string | null) ?? null,
    text: row.text as string,
    state: row.state as ItemState,
    version: row.version as number,
    optional: row.optional as boolean,
    evidence: (row.evidence as string | null) ?? null,
    notApplicableReason: (row.notApplicableReason as string | null) ?? null,
    dueAt: date(row.dueAt),
    ownerRole: (row.ownerRole as Role | null) ?? null,
    ownerCustomRoleId: (row.ownerCustomRoleId as string | null) ?? null,
    assigneeId: (row.assigneeId as string | null) ?? null,
    stateChangedAt: date(row.stateChangedAt),
    phase: row.phaseStatus ? { status: row.phaseStatus as PhaseStatus } : null,
    assignee: row.assigneeName ? { name: row.assigneeName as string } : null,
    stateChangedBy: row.changedByName ? { name: row.changedByName as string } : null,
  };
}

function toSignOff(row: Row): DashboardSignOff {
  return {
    id: row.id as string,
    kind: row.kind as SignOffKind,
    title: row.title as string,
    status: row.status as SignOffStatus,
    reference: (row.reference as string | null) ?? null,
    description: (row.description as string | null) ?? null,
    amountCents: row.amountCents === null || row.amountCents === undefined ? null : BigInt(row.amountCents as string),
    currency: (row.currency as string | null) ?? null,
    requiredRoles: (row.requiredRoles as Role[] | null) ?? [],
    requiredCustomRoleIds: (row.requiredCustomRoleIds as string[] | null) ?? [],
    approvalsNeeded: row.approvalsNeeded as number,
    everyRole: row.everyRole as boolean,
    dueAt: date(row.dueAt),
    version: row.version as number,
    phase: row.phaseStatus ? { status: row.phaseStatus as PhaseStatus } : null,
    decisions: ((row.decisions as Row[] | null) ?? []).map((d) => ({
      id: d.id as string,
      userId: d.userId as string,
      user: { name: d.userName as string },
      role: d.role as Role,
      customRoleId: (d.customRoleId as string | null) ?? null,
      value: d.value as DecisionValue,
      comment: (d.comment as string | null) ?? null,
      decidedAt: date(d.decidedAt) as Date,
      withdrawnAt: date(d.withdrawnAt),
    })),
    documents: ((row.documents as Row[] | null) ?? []).map((d) => ({ id: d.id as string, title: d.title as string, path: (d.path as string | null) ?? null })),
  };
}

type Tally = {
  nextDayItems: number;
  mine: number;
  onCall: number;
  ownOverdue: number;
  overdue: number;
  owed: number;
  approver: number;
  policies: number;
  approvedPolicies: number;
  lackingPolicies: number;
  others: number;
  lackingOthers: number;
  rejected: number;
  budgetAsked: string | null;
  budgetApproved: string | null;
  budgetCurrency: string | null;
  readingRead: number;
  readingMinutes: number;
  currentPhaseId: string | null;
  items: Row[];
  signOffs: Row[];
  team: { key: string; role: Role; customRoleId: string | null; entries: number; minutes: number; people: { id: string; name: string; read: number }[] }[];
};

/**
 * The dashboard's counts and its bounded lists in one statement: the database counts every
 * list (whatever the plan's size) and returns only the first rows of each, as JSON. The
 * conditions are the rules of lib/view/dashboard.ts (`nextDay`, `ownsItem`, `isApprover`,
 * `decidesAs`, `isOverdue`, `riskSummary`, `budgetSummary`, `teamReading`) written as SQL;
 * tests/integration/dashboard-data.test.ts holds them to those rules on a hand-made plan.
 *
 * The statement reads the identity's own rows (through the owner index), not every row of
 * the plan, and holds only the parts its dashboard shows: the executive's late rows and team
 * reading, the security officer's policy lists, the on-call list (the executive's progress by
 * phase comes from the gates' counts, read beside it). Both matter at size, since Postgres
 * plans the statement on every call: on the large plan, reading every row cost 22 ms a call;
 * this costs 6 (9.5 for the executive), docs/performance.md.
 */
async function tally(args: {
  rolloutId: string;
  ref: RoleRef;
  actorId: string;
  now: Date;
  decides: boolean;
  show: { executive: boolean; security: boolean; operations: boolean };
}): Promise<Tally> {
  const { rolloutId: rid, ref, actorId, now, decides, show } = args;
  const key = roleKeyOf(ref);
  const role = ref.role as string;
  const custom = ref.customRoleId;
  const nowIso = now.toISOString();
  const soonIso = new Date(now.getTime() + DAY).toISOString();
  const N = show.executive ? EXECUTIVE_FIRST_N : DASHBOARD_FIRST_N;
  const CARDS = DASHBOARD_FIRST_CARDS;
  const RISKS = DASHBOARD_FIRST_RISKS;
  // Cards for decisions owed: none for the security officer, whose own lists show every one of them.
  const owedCards = show.security ? 0 : CARDS;
  const mineCards = show.security ? 0 : CARDS;
  // Whether the sign-off (alias s) names the identity among its approvers (`isApprover`).
  const approver = Prisma.sql`(CASE WHEN ${custom}::text IS NULL THEN ${role}::text = ANY(s."requiredRoles"::text[]) ELSE ${custom}::text = ANY(s."requiredCustomRoleIds") END)`;
  const itemOrder = Prisma.sql`list, ppos NULLS LAST, position, id`;
  // The rows the identity owns (`ownsItem`): a built-in role's own rows carry no custom role; a custom role's carry its id.
  const ownedBy = custom
    ? Prisma.sql`i."ownerCustomRoleId" = ${custom} AND i."ownerRole" IS NOT NULL`
    : Prisma.sql`i."ownerCustomRoleId" IS NULL AND i."ownerRole" = ${role}::"Role"`;
  // The executive's own parts, read for no one else. Its risk: every open required row past its
  // due date, whoever owns it (an index reads them); then the team's reading.
  const lateRows = show.executive
    ? Prisma.sql`
    late AS MATERIALIZED (
      SELECT i.id, i.list, i.position, p.position AS ppos
      FROM "ChecklistItem" i LEFT JOIN "Phase" p ON p.id = i."phaseId"
      WHERE i."rolloutId" = ${rid} AND i.state = 'OPEN' AND i."dueAt" < ${nowIso}::timestamp AND NOT i.optional
    ),`
    : Prisma.empty;
  const teamRows = show.executive
    ? Prisma.sql`,
    team_reads AS MATERIALIZED (
      SELECT r."userId", e."roleKey" AS key, count(*)::int AS n
      FROM "ReadState" r JOIN "ReadingListEntry" e ON e.id = r."entryId"
      WHERE e."rolloutId" = ${rid} GROUP BY 1, 2
    ),
    team_lists AS (
      SELECT "roleKey" AS key, min(role) AS role, min("customRoleId") AS "customRoleId", count(*)::int AS entries, sum(minutes)::int AS minutes, min(position) AS first
      FROM "ReadingListEntry" WHERE "rolloutId" = ${rid} GROUP BY "roleKey"
    )`
    : Prisma.empty;
  const executiveColumns = show.executive
    ? Prisma.sql`
      (SELECT COALESCE(json_agg(json_build_object(
          'key', l.key, 'role', l.role, 'customRoleId', l."customRoleId", 'entries', l.entries, 'minutes', l.minutes,
          'people', (SELECT COALESCE(json_agg(json_build_object('id', u.id, 'name', u.name, 'read', COALESCE(tr.n, 0)) ORDER BY m."createdAt", m.id), '[]'::json)
            FROM "RolloutMember" m JOIN "User" u ON u.id = m."userId" AND u.active
              LEFT JOIN team_reads tr ON tr."userId" = u.id AND tr.key = l.key
            WHERE m."rolloutId" = ${rid} AND m."roleKey" = l.key)
        ) ORDER BY l.role, l.first, l.key), '[]'::json) FROM team_lists l) AS team`
    : Prisma.sql`'[]'::json AS team`;
  // The documents a security policy refers to (its card links them): the security officer's lists only.
  const policyDocuments = show.security
    ? Prisma.sql`CASE WHEN k.tag = 'policies' AND s.reference IS NOT NULL THEN (SELECT COALESCE(json_agg(json_build_object('id', doc.id, 'title', doc.title, 'path', doc.path)), '[]'::json)
            FROM "Document" doc WHERE doc."rolloutId" = ${rid} AND doc.path IS NOT NULL AND starts_with(s.reference, doc.path)
              AND EXISTS (SELECT 1 FROM "ReadingListEntry" e WHERE e."documentId" = doc.id)) END`
    : Prisma.sql`NULL`;
  const rows = await getDb().$queryRaw<Tally[]>`
    WITH
    cur AS (
      SELECT id FROM "Phase" WHERE "rolloutId" = ${rid} AND status IN ('IN_PROGRESS', 'AWAITING_SIGNOFF', 'BLOCKED') ORDER BY position LIMIT 1
    ),
    so AS (
      SELECT s.id, s.position, s.kind, s.status, s.title, s."amountCents", s.currency,
        ${approver} AS approver,
        (s.status = 'PENDING' AND NOT COALESCE(p.status IN ('DONE', 'SKIPPED'), false)) AS awaits,
        (s."dueAt" IS NOT NULL AND s."dueAt" <= ${soonIso}::timestamp) AS due_soon,
        EXISTS (SELECT 1 FROM "SignOffDecision" d WHERE d."signOffId" = s.id AND d."userId" = ${actorId} AND d."withdrawnAt" IS NULL) AS decided_by_me
      FROM "SignOff" s LEFT JOIN "Phase" p ON p.id = s."phaseId"
      WHERE s."rolloutId" = ${rid}
    ),
    -- The identity's own rows only (an index reads them), then the flags of the rules.
    mine AS MATERIALIZED (
      SELECT i.id, i.list, i.position, i.state, i."dueAt", i."phaseId", p.position AS ppos,
        COALESCE(p.status IN ('DONE', 'SKIPPED'), false) AS closed,
        (i."signOffId" IS NOT NULL AND ${decides}::boolean AND COALESCE(${approver}, false)) AS decided_here
      FROM "ChecklistItem" i
        LEFT JOIN "Phase" p ON p.id = i."phaseId"
        LEFT JOIN "SignOff" s ON s.id = i."signOffId"
      WHERE i."rolloutId" = ${rid} AND ${ownedBy}
    ),
    flagged AS (
      SELECT mine.*,
        (state = 'OPEN' AND NOT closed AND (list = 'NEXT_24H' OR "dueAt" <= ${soonIso}::timestamp) AND NOT decided_here) AS next_day,
        (state = 'OPEN' AND "phaseId" IS NOT NULL AND "phaseId" = (SELECT id FROM cur)) AS on_call,
        (state = 'OPEN' AND "dueAt" IS NOT NULL AND "dueAt" < ${nowIso}::timestamp) AS overdue
      FROM mine
    ),
    ${lateRows}
    picked_items AS (
      (SELECT 'nextDay' AS tag, id, list, ppos, position FROM flagged WHERE next_day ORDER BY ${itemOrder} LIMIT ${N})
      UNION ALL
      (SELECT 'mine', id, list, ppos, position FROM flagged ORDER BY ${itemOrder} LIMIT ${N})
      ${show.operations ? Prisma.sql`UNION ALL (SELECT 'onCall', id, list, ppos, position FROM flagged WHERE on_call IS TRUE ORDER BY ${itemOrder} LIMIT ${N})` : Prisma.empty}
      ${show.executive ? Prisma.sql`UNION ALL (SELECT 'overdue', id, list, ppos, position FROM late ORDER BY ${itemOrder} LIMIT ${RISKS})` : Prisma.empty}
    ),
    picked_signoffs AS (
      (SELECT 'owed' AS tag, id, 0 AS rank, position FROM so WHERE ${decides}::boolean AND approver AND awaits AND NOT decided_by_me AND due_soon ORDER BY position LIMIT ${owedCards})
      UNION ALL
      (SELECT 'mine', id, CASE WHEN status = 'PENDING' THEN 0 ELSE 1 END, position FROM so WHERE approver ORDER BY CASE WHEN status = 'PENDING' THEN 0 ELSE 1 END, position LIMIT ${mineCards})
      ${show.security ? Prisma.sql`
      UNION ALL
      (SELECT 'others', id, CASE WHEN status = 'PENDING' THEN 0 ELSE 1 END, position FROM so WHERE approver AND kind <> 'SECURITY_POLICY' ORDER BY CASE WHEN status = 'PENDING' THEN 0 ELSE 1 END, position LIMIT ${CARDS})
      UNION ALL
      (SELECT 'policies', id, 0, position FROM so WHERE approver AND kind = 'SECURITY_POLICY' ORDER BY position)` : Prisma.empty}
      ${show.executive ? Prisma.sql`
      UNION ALL
      (SELECT 'rejected', id, 0, position FROM so WHERE status = 'REJECTED' ORDER BY position LIMIT ${RISKS})` : Prisma.empty}
    ),
    item_counts AS (
      SELECT
        count(*) FILTER (WHERE next_day)::int AS "nextDayItems",
        count(*)::int AS mine,
        count(*) FILTER (WHERE on_call IS TRUE)::int AS "onCall",
        count(*) FILTER (WHERE overdue)::int AS "ownOverdue",
        ${show.executive ? Prisma.sql`(SELECT count(*) FROM late)::int` : Prisma.sql`0`} AS overdue
      FROM flagged
    ),
    signoff_counts AS (
      SELECT
        count(*) FILTER (WHERE ${decides}::boolean AND approver AND awaits AND NOT decided_by_me AND due_soon)::int AS owed,
        count(*) FILTER (WHERE approver)::int AS approver,
        count(*) FILTER (WHERE approver AND kind = 'SECURITY_POLICY')::int AS policies,
        count(*) FILTER (WHERE approver AND kind = 'SECURITY_POLICY' AND status = 'APPROVED')::int AS "approvedPolicies",
        count(*) FILTER (WHERE approver AND kind = 'SECURITY_POLICY' AND (awaits OR status = 'REJECTED'))::int AS "lackingPolicies",
        count(*) FILTER (WHERE approver AND kind <> 'SECURITY_POLICY')::int AS others,
        count(*) FILTER (WHERE approver AND kind <> 'SECURITY_POLICY' AND (awaits OR status = 'REJECTED'))::int AS "lackingOthers",
        count(*) FILTER (WHERE status = 'REJECTED')::int AS rejected,
        (sum("amountCents") FILTER (WHERE kind = 'BUDGET'))::text AS "budgetAsked",
        (sum("amountCents") FILTER (WHERE kind = 'BUDGET' AND status = 'APPROVED'))::text AS "budgetApproved",
        (SELECT currency FROM so b WHERE b.kind = 'BUDGET' AND b."amountCents" IS NOT NULL ORDER BY b.position LIMIT 1) AS "budgetCurrency"
      FROM so
    )
    ${teamRows}
    SELECT item_counts.*, signoff_counts.*,
      (SELECT id FROM cur) AS "currentPhaseId",
      (SELECT count(*) FROM "ReadingListEntry" e WHERE e."rolloutId" = ${rid} AND e."roleKey" = ${key}
         AND EXISTS (SELECT 1 FROM "ReadState" r WHERE r."entryId" = e.id AND r."userId" = ${actorId}))::int AS "readingRead",
      (SELECT COALESCE(sum(e.minutes), 0) FROM "ReadingListEntry" e WHERE e."rolloutId" = ${rid} AND e."roleKey" = ${key})::int AS "readingMinutes",
      (SELECT COALESCE(json_agg(json_build_object(
          'tag', k.tag, 'id', i.id, 'list', i.list, 'phaseId', i."phaseId", 'text', i.text, 'state', i.state, 'version', i.version,
          'optional', i.optional, 'evidence', i.evidence, 'notApplicableReason', i."notApplicableReason", 'dueAt', i."dueAt",
          'ownerRole', i."ownerRole", 'ownerCustomRoleId', i."ownerCustomRoleId", 'assigneeId', i."assigneeId", 'stateChangedAt', i."stateChangedAt",
          'phaseStatus', p.status, 'assigneeName', a.name, 'changedByName', c.name
        ) ORDER BY k.tag, k.list, k.ppos NULLS LAST, k.position, k.id), '[]'::json)
        FROM picked_items k JOIN "ChecklistItem" i ON i.id = k.id
          LEFT JOIN "Phase" p ON p.id = i."phaseId"
          LEFT JOIN "User" a ON a.id = i."assigneeId"
          LEFT JOIN "User" c ON c.id = i."stateChangedById") AS items,
      (SELECT COALESCE(json_agg(json_build_object(
          'tag', k.tag, 'id', s.id, 'kind', s.kind, 'title', s.title, 'status', s.status, 'reference', s.reference, 'description', s.description,
          'amountCents', s."amountCents"::text, 'currency', s.currency, 'requiredRoles', s."requiredRoles", 'requiredCustomRoleIds', s."requiredCustomRoleIds",
          'approvalsNeeded', s."approvalsNeeded", 'everyRole', s."everyRole", 'dueAt', s."dueAt", 'version', s.version, 'phaseStatus', p.status,
          'decisions', (SELECT COALESCE(json_agg(json_build_object(
              'id', d.id, 'userId', d."userId", 'userName', u.name, 'role', d.role, 'customRoleId', d."customRoleId", 'value', d.value,
              'comment', d.comment, 'decidedAt', d."decidedAt", 'withdrawnAt', d."withdrawnAt") ORDER BY d."decidedAt", d.id), '[]'::json)
            FROM "SignOffDecision" d JOIN "User" u ON u.id = d."userId" WHERE d."signOffId" = s.id),
          'documents', ${policyDocuments}
        ) ORDER BY k.tag, k.rank, k.position, k.id), '[]'::json)
        FROM picked_signoffs k JOIN "SignOff" s ON s.id = k.id LEFT JOIN "Phase" p ON p.id = s."phaseId") AS "signOffs",
      ${executiveColumns}
    FROM item_counts, signoff_counts`;
  return rows[0];
}

/**
 * One role dashboard of a rollout (`/r/[slug]/[role]`), for a member who holds that role
 * identity (a built-in role by its slug, or one of the rollout's own roles by its slug):
 * anyone else, or a role the rollout does not have, is answered NOT_FOUND, as is a rollout
 * the caller does not belong to.
 *
 * After the (per-request, shared) membership lookup, at most four statements run in
 * parallel whatever the plan's size: the rollout's own roles, phases, members, the role's
 * first reading entries and the first criteria (one read, joined); every count and first-N
 * list in one statement (`tally`); and, for the executive, the phases with their gates
 * (`readPhaseGates`, two).
 */
export async function getRoleDashboard(actor: Actor, slug: string, roleSlug: string, now: Date = new Date()): Promise<RoleDashboard> {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  const roles = await assertCan(actor, membership.rolloutId, "rollout.view");
  const rolloutId = membership.rolloutId;
  const db = getDb();

  // A dashboard belongs to a role identity the caller holds: a built-in role by its slug, else a custom role by its slug.
  const builtIn = roleFromSlug(roleSlug);
  const heldBuiltIn = builtIn && membership.holdings.some((h) => h.customRoleId === null && h.role === builtIn);
  // The custom roles the caller holds there: memoized per request, read once with the rollout's layout (none when they hold none).
  const held = builtIn ? undefined : (await listHeldCustomRoles(actor, rolloutId)).find((c) => c.slug === roleSlug);
  const heldRef = held ? membership.holdings.find((h) => h.customRoleId === held.id) : undefined;
  if (!heldBuiltIn && !heldRef) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  const ref: RoleRef = heldRef ?? { role: builtIn as Role, customRoleId: null };
  const custom = held && heldRef ? { id: held.id, name: held.name } : null;
  const kind = ref.customRoleId ? null : ref.role;
  const show = { executive: kind === "EXECUTIVE", security: kind === "SECURITY_OFFICER", operations: kind === "OPS_MANAGER" };
  const key = roleKeyOf(ref);

  const [plan, counts, gates] = await Promise.all([
    db.rollout.findUniqueOrThrow({
      where: { id: rolloutId },
      select: {
        customRoles: { orderBy: { position: "asc" }, select: { id: true, slug: true, name: true, baseRole: true } },
        phases: { orderBy: { position: "asc" }, select: { id: true, position: true, name: true, plannedEnd: true } },
        members: { where: { user: { active: true } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { role: true, customRoleId: true, user: { select: { id: true, name: true } } } },
        readingList: {
          where: { roleKey: key },
          orderBy: { position: "asc" },
          take: DASHBOARD_FIRST_READING,
          select: { id: true, position: true, minutes: true, sectionHint: true, document: { select: { id: true, title: true, path: true } }, readStates: { where: { userId: actor.id }, select: { userId: true } } },
        },
        criteria: { orderBy: [{ group: { position: "asc" } }, { position: "asc" }], take: show.operations ? DASHBOARD_FIRST_N : 0, select: { id: true, text: true, verifiedAt: true } },
        // The burn-down's daily projection and the rollout's first ledger event (when counting starts): the executive's charts.
        burnDownDays: { orderBy: { day: "asc" }, take: show.executive ? undefined : 0, select: { day: true, delta: true } },
        auditEvents: { where: { seq: 1 }, take: show.executive ? 1 : 0, select: { at: true } },
        _count: { select: { readingList: { where: { roleKey: key } }, criteria: true } },
      },
    }),
    tally({ rolloutId, ref, actorId: actor.id, now, decides: can([ref.role], "signoff.decide"), show }),
    show.executive ? readPhaseGates(rolloutId, { firstItems: DASHBOARD_GATE_BLOCKERS }) : null,
  ]);

  const items = counts.items.map((row) => ({ tag: row.tag as string, item: toItem(row) }));
  const itemsOf = (tag: string) => items.filter((r) => r.tag === tag).map((r) => r.item);
  const signOffs = counts.signOffs.map((row) => ({ tag: row.tag as string, signOff: toSignOff(row) }));
  const signOffsOf = (tag: string) => signOffs.filter((r) => r.tag === tag).map((r) => r.signOff);
  const first = <T,>(rows: T[], total: number): FirstOf<T> => ({ rows, total });

  let executive: RoleDashboard["executive"] = null;
  if (gates) {
    const startedAt = plan.auditEvents[0]?.at ?? now;
    const plannedEnds = plan.phases.flatMap((p) => (p.plannedEnd ? [p.plannedEnd.getTime()] : []));
    // Each phase's rows by state, from the gates' own counts (a phase's checklist is exactly the
    // rows with its phaseId, lib/validation/plan.ts): progress leaves not-applicable rows out of its total.
    const phaseCounts: PhaseItemCounts[] = gates.phases.map((p) => ({
      phaseId: p.id,
      position: p.position,
      name: p.name,
      optional: p.optional,
      done: p.progress.done,
      open: p.progress.total - p.progress.done,
      notApplicable: p.progress.notApplicable,
      total: p.progress.total + p.progress.notApplicable,
    }));
    const openNow = phaseCounts.reduce((sum, p) => sum + p.open, 0);
    const customName = new Map(plan.customRoles.map((c) => [c.id, c.name]));
    executive = {
      phases: gates.phases,
      overall: gates.overall,
      charts: {
        startedAt,
        phases: phaseCounts,
        burnDown: burnDownFromDays({ start: startedAt, now, idealEnd: plannedEnds.length ? new Date(Math.max(...plannedEnds)) : null, openNow, days: plan.burnDownDays }),
      },
      risk: {
        overdue: first(itemsOf("overdue").map(({ id, text }) => ({ id, text })), counts.overdue),
        rejected: first(signOffsOf("rejected").map(({ id, title }) => ({ id, title })), counts.rejected),
      },
      budget: { asked: BigInt(counts.budgetAsked ?? 0), approved: BigInt(counts.budgetApproved ?? 0), currency: counts.budgetCurrency ?? "USD" },
      team: counts.team.map((r) => {
        const perPerson = r.people.map((p) => ({ person: { id: p.id, name: p.name }, read: Number(p.read) }));
        const read = perPerson.reduce((sum, p) => sum + p.read, 0);
        const total = r.entries * perPerson.length;
        return {
          key: r.key,
          role: r.role,
          customName: r.customRoleId ? (customName.get(r.customRoleId) ?? null) : null,
          entries: r.entries,
          minutes: r.minutes,
          perPerson,
          read,
          total,
          percent: total ? Math.round((read / total) * 100) : 0,
        };
      }),
    };
  }

  const current = counts.currentPhaseId ? plan.phases.find((p) => p.id === counts.currentPhaseId) : undefined;
  return {
    // An archived rollout is read-only: the page offers no write control on it.
    rollout: { id: rolloutId, slug: membership.slug, name: membership.name, archived: membership.archived },
    roles,
    holdings: membership.holdings,
    actorId: actor.id,
    ref,
    custom,
    customRoles: plan.customRoles,
    members: plan.members,
    nextDay: { items: first(itemsOf("nextDay"), counts.nextDayItems), decisions: first(signOffsOf("owed"), counts.owed) },
    checklist: first(itemsOf("mine"), counts.mine),
    reading: {
      entries: plan.readingList.map(({ readStates, ...entry }) => ({ ...entry, read: readStates.length > 0 })),
      total: plan._count.readingList,
      read: counts.readingRead,
      minutes: counts.readingMinutes,
    },
    signOffs: first(signOffsOf("mine"), counts.approver),
    executive,
    security: show.security
      ? {
          policies: signOffsOf("policies"),
          others: first(signOffsOf("others"), counts.others),
          approvedPolicies: counts.approvedPolicies,
          lackingPolicies: counts.lackingPolicies,
          lackingOthers: counts.lackingOthers,
        }
      : null,
    operations: show.operations
      ? {
          current: current ? { id: current.id, name: current.name, position: current.position } : null,
          onCall: first(itemsOf("onCall"), counts.onCall),
          criteria: first(plan.criteria, plan._count.criteria),
          overdue: counts.ownOverdue,
        }
      : null,
  };
}
