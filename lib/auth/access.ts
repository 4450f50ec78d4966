import "server-only";
import { cache } from "react";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { Role } from "../generated/prisma/enums";
import { can, type Action } from "./permissions";
import type { Actor } from "./session";

export type Membership = { rolloutId: string; slug: string; name: string; roles: Role[] };

/** The rollouts the person belongs to, with their roles in each (memoized per request). */
export const getMemberships = cache(async (userId: string): Promise<Membership[]> => {
  const rows = await getDb().rolloutMember.findMany({
    where: { userId },
    select: { role: true, rollout: { select: { id: true, slug: true, name: true, createdAt: true } } },
    orderBy: [{ rollout: { createdAt: "desc" } }, { role: "asc" }],
  });
  const byRollout = new Map<string, Membership>();
  for (const row of rows) {
    const entry = byRollout.get(row.rollout.id) ?? { rolloutId: row.rollout.id, slug: row.rollout.slug, name: row.rollout.name, roles: [] };
    entry.roles.push(row.role);
    byRollout.set(row.rollout.id, entry);
  }
  return [...byRollout.values()];
});

export async function rolesIn(actor: Actor, rolloutId: string): Promise<Role[]> {
  return (await getMemberships(actor.id)).find((m) => m.rolloutId === rolloutId)?.roles ?? [];
}

/**
 * Throws unless one of the actor's roles in the rollout allows the action. A rollout the
 * actor does not belong to answers "not found", so its existence does not leak.
 */
export async function assertCan(actor: Actor, rolloutId: string, action: Action): Promise<Role[]> {
  const roles = await rolesIn(actor, rolloutId);
  if (roles.length === 0) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  if (!can(roles, action)) {
    throw new AppError("FORBIDDEN", { key: "errors.access.roleForbids" }, { action });
  }
  return roles;
}
