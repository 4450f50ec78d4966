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
  groups: { group: CriterionGroupView; criteria: CriterionView[] }[];
};

/**
 * The rollout's success criteria, grouped (every group listed, empty or not), with who
 * verified each, when, and their note. One query after the membership lookup.
 */
export async function listCriteria(actor: Actor, slug: string): Promise<CriteriaList> {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  const roles = await assertCan(actor, membership.rolloutId, "rollout.view");
  const groups = await getDb().criterionGroup.findMany({
    where: { rolloutId: membership.rolloutId },
    orderBy: { position: "asc" },
    select: {
      id: true,
      name: true,
      position: true,
      criteria: {
        orderBy: { position: "asc" },
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
      },
    },
  });
  return {
    rollout: { id: membership.rolloutId, slug: membership.slug, name: membership.name, archived: membership.archived },
    roles,
    groups: groups.map(({ criteria, ...group }) => ({ group, criteria })),
  };
}
