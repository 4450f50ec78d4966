import "server-only";
import { assertCan, getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { Role } from "../generated/prisma/enums";

// Reads only: the verify write lives in ./criteria.ts.

/** One of the rollout's own criterion groups (its name is the plan's words). */
export type CriterionGroupView = { id: string; name: string; position: number };

export type CriterionView = {
  id: string;
  groupId: string;
  position: number;
  text: string;
  /** The version a verify/unverify must name; a write against an older one is refused as STALE. */
  version: number;
  verifiedAt: Date | null;
  verifiedBy: { id: string; name: string } | null;
  note: string | null;
};

export type CriteriaList = {
  rollout: { id: string; slug: string; name: string; archived: boolean };
  roles: Role[];
  /** The groups with criteria on this page (on a single page, every group, empty or not), each with how many it holds and how many are verified. */
  groups: { group: CriterionGroupView; criteria: CriterionView[]; total: number; verified: number }[];
  /** All the rollout's criteria, and how many are verified. */
  total: number;
  verified: number;
  page: number;
  pages: number;
};

/** Criteria per page (each with its verification form for a verifier). */
export const CRITERIA_PAGE_SIZE = 25;

/**
 * One page of the rollout's success criteria, in the plan's order (group, then position),
 * under their group headings, with who verified each, when, and their note; and each
 * group's counts. Two queries in parallel after the membership lookup: the groups with
 * their counts, and the page of criteria. `page: "all"` (the API): every criterion on one page.
 */
export async function listCriteria(actor: Actor, slug: string, page: number | "all" = 1): Promise<CriteriaList> {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  const roles = await assertCan(actor, membership.rolloutId, "rollout.view");
  const db = getDb();
  const rolloutId = membership.rolloutId;
  const [groups, firstTry] = await Promise.all([
    db.$queryRaw<{ id: string; name: string; position: number; total: number; verified: number }[]>`
      SELECT g.id, g.name, g.position, count(c.id)::int AS total, count(c."verifiedAt")::int AS verified
      FROM "CriterionGroup" g LEFT JOIN "SuccessCriterion" c ON c."groupId" = g.id
      WHERE g."rolloutId" = ${rolloutId}
      GROUP BY g.id ORDER BY g.position ASC`,
    criteriaPage(rolloutId, page),
  ]);
  const total = groups.reduce((sum, g) => sum + g.total, 0);
  const pages = page === "all" ? 1 : Math.max(1, Math.ceil(total / CRITERIA_PAGE_SIZE));
  const current = page === "all" ? 1 : Math.min(Math.max(1, Math.floor(page)), pages);
  // A page past the last is the last (read again only then).
  const criteria = page === "all" || current === page ? firstTry : await criteriaPage(rolloutId, current);
  const onPage = new Set(criteria.map((c) => c.groupId));
  const shown = pages === 1 ? groups : groups.filter((g) => onPage.has(g.id) || (g.total === 0 && current === pages));
  return {
    rollout: { id: rolloutId, slug: membership.slug, name: membership.name, archived: membership.archived },
    roles,
    groups: shown.map(({ total: groupTotal, verified, ...group }) => ({ group, criteria: criteria.filter((c) => c.groupId === group.id), total: groupTotal, verified })),
    total,
    verified: groups.reduce((sum, g) => sum + g.verified, 0),
    page: current,
    pages,
  };
}

function criteriaPage(rolloutId: string, page: number | "all") {
  return getDb().successCriterion.findMany({
    where: { rolloutId },
    orderBy: [{ group: { position: "asc" } }, { position: "asc" }, { id: "asc" }],
    ...(page === "all" ? {} : { skip: (Math.max(1, Math.floor(page)) - 1) * CRITERIA_PAGE_SIZE, take: CRITERIA_PAGE_SIZE }),
    select: {
      id: true,
      groupId: true,
      position: true,
      text: true,
      version: true,
      verifiedAt: true,
      note: true,
      verifiedBy: { select: { id: true, name: true } },
    },
  });
}
