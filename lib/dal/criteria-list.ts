import "server-only";
import { assertCan, getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { CriterionGroup, Role } from "../generated/prisma/enums";

// Reads only: the verify write lives in ./criteria.ts.

/** The plan's groups, in the order the page shows them. */
export const CRITERION_GROUPS = ["DEPLOYMENT", "MONITORING", "OPERATIONS"] as const satisfies readonly CriterionGroup[];

export type CriterionView = {
  id: string;
  group: CriterionGroup;
  position: number;
  text: string;
  /** The version a verify/unverify must name; a write against an older one is refused as STALE. */
  version: number;
  verifiedAt: Date | null;
  verifiedBy: { id: string; name: string } | null;
  note: string | null;
};

export type CriteriaList = {
  rollout: { id: string; slug: string; name: string };
  roles: Role[];
  groups: { group: CriterionGroup; criteria: CriterionView[] }[];
};

/**
 * The rollout's success criteria, grouped (every group listed, empty or not), with who
 * verified each, when, and their note. One query after the membership lookup.
 */
export async function listCriteria(actor: Actor, slug: string): Promise<CriteriaList> {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  const roles = await assertCan(actor, membership.rolloutId, "rollout.view");
  const rows = await getDb().successCriterion.findMany({
    where: { rolloutId: membership.rolloutId },
    select: {
      id: true,
      group: true,
      position: true,
      text: true,
      version: true,
      verifiedAt: true,
      note: true,
      verifiedBy: { select: { id: true, name: true } },
    },
    orderBy: [{ group: "asc" }, { position: "asc" }],
  });
  return {
    rollout: { id: membership.rolloutId, slug: membership.slug, name: membership.name },
    roles,
    groups: CRITERION_GROUPS.map((group) => ({ group, criteria: rows.filter((row) => row.group === group) })),
  };
}
