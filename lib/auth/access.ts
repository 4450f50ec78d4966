import "server-only";
import { cache } from "react";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { RoleRef } from "../domain/roles";
import type { Role } from "../generated/prisma/enums";
import { can, type Action } from "./permissions";
import { scopeFor, scopesAllow } from "./scopes";
import type { Actor, InstanceRights } from "./session";

export type Membership = {
  rolloutId: string;
  slug: string;
  name: string;
  roles: Role[];
  /** The custom roles (ids) the person holds in the rollout; `roles` holds their base roles. */
  customRoleIds: string[];
  /** The built-in roles the person holds as themselves (not as a custom role's base): their dashboards. */
  builtInRoles: Role[];
  /** The role identities the person holds in the rollout (a custom role is its own identity). */
  holdings: RoleRef[];
  archived: boolean;
  isTemplate: boolean;
};

/**
 * The rollouts (and templates) the person belongs to, with their roles in each (memoized
 * per request), newest first.
 */
export const getMemberships = cache(async (userId: string): Promise<Membership[]> => {
  const rows = await getDb().rolloutMember.findMany({
    where: { userId },
    select: {
      role: true,
      customRoleId: true,
      rollout: { select: { id: true, slug: true, name: true, createdAt: true, archivedAt: true, isTemplate: true } },
    },
    orderBy: [{ rollout: { createdAt: "desc" } }, { role: "asc" }],
  });
  const byRollout = new Map<string, Membership>();
  for (const row of rows) {
    const entry = byRollout.get(row.rollout.id) ?? {
      rolloutId: row.rollout.id,
      slug: row.rollout.slug,
      name: row.rollout.name,
      roles: [],
      customRoleIds: [],
      builtInRoles: [],
      holdings: [],
      archived: row.rollout.archivedAt !== null,
      isTemplate: row.rollout.isTemplate,
    };
    if (!entry.roles.includes(row.role)) entry.roles.push(row.role);
    if (row.customRoleId) entry.customRoleIds.push(row.customRoleId);
    else if (!entry.builtInRoles.includes(row.role)) entry.builtInRoles.push(row.role);
    entry.holdings.push({ role: row.role, customRoleId: row.customRoleId });
    byRollout.set(row.rollout.id, entry);
  }
  return [...byRollout.values()];
});

export async function rolesIn(actor: Actor, rolloutId: string): Promise<Role[]> {
  return (await getMemberships(actor.id)).find((m) => m.rolloutId === rolloutId)?.roles ?? [];
}

/**
 * What an archived rollout still allows: reading it, exporting it, reading its ledger,
 * and (for its admins) unarchiving it or copying it into a template. Every other action
 * is refused with the reason.
 */
export const ALLOWED_WHEN_ARCHIVED: readonly Action[] = ["rollout.view", "plan.export", "audit.read", "rollout.archive", "rollout.template"];

/** Instance-wide rights of an account (not tied to a rollout), read from the database; memoized per request. */
const readInstanceRights = cache(async (userId: string): Promise<InstanceRights> => {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { isInstanceAdmin: true, canCreateRollouts: true, active: true } });
  if (!user || !user.active) return { isInstanceAdmin: false, canCreateRollouts: false };
  return { isInstanceAdmin: user.isInstanceAdmin, canCreateRollouts: user.isInstanceAdmin || user.canCreateRollouts };
});

/**
 * The caller's instance-wide rights: those the session check read with the session (the
 * same statement, this request), else (an API token's caller, an actor made elsewhere) read
 * now, once per request.
 */
export async function getInstanceRights(actor: Actor): Promise<InstanceRights> {
  return actor.instanceRights ?? readInstanceRights(actor.id);
}

/** Throws unless the actor is an instance admin. */
export async function assertInstanceAdmin(actor: Actor): Promise<void> {
  if (actor.scopes && !actor.scopes.includes("admin")) throw new AppError("FORBIDDEN", { key: "errors.api.scopeMissing", values: { scope: "admin" } });
  if (!(await getInstanceRights(actor)).isInstanceAdmin) throw new AppError("FORBIDDEN", { key: "errors.users.instanceAdminOnly" });
}

/** Throws when the rollout is archived: for writes that check their rights by role themselves. */
export async function assertNotArchived(actor: Actor, rolloutId: string): Promise<void> {
  const membership = (await getMemberships(actor.id)).find((m) => m.rolloutId === rolloutId);
  if (membership?.archived) throw new AppError("CONFLICT", { key: "errors.rollouts.archived", values: { rollout: membership.name } });
}

/**
 * What a call does, for an archived rollout: by default only the actions of
 * ALLOWED_WHEN_ARCHIVED get through. `readOrRevoke` marks a call that only reads, or only
 * takes access away (revoking a service account's token, disabling or deleting a webhook):
 * an archived rollout's admins must still see who and what can reach it and cut them off.
 * Never for a call that grants, adds or sends anything.
 */
export type ArchivedUse = { readOrRevoke?: boolean };

/**
 * Throws unless one of the actor's roles in the rollout allows the action. A rollout the
 * actor does not belong to answers "not found", so its existence does not leak. An
 * archived rollout refuses every action but reads, exports, its ledger and unarchiving
 * (and the calls marked `readOrRevoke`).
 */
export async function assertCan(actor: Actor, rolloutId: string, action: Action, use: ArchivedUse = {}): Promise<Role[]> {
  const membership = (await getMemberships(actor.id)).find((m) => m.rolloutId === rolloutId);
  const roles = membership?.roles ?? [];
  if (!membership || roles.length === 0) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  if (!can(roles, action)) {
    throw new AppError("FORBIDDEN", { key: "errors.access.roleForbids" }, { action });
  }
  assertScope(actor, action);
  if (membership.archived && !ALLOWED_WHEN_ARCHIVED.includes(action) && !use.readOrRevoke) {
    throw new AppError("CONFLICT", { key: "errors.rollouts.archived", values: { rollout: membership.name } }, { action });
  }
  return roles;
}

/**
 * Throws unless the actor's API token (if the call came with one) has a scope reaching the
 * action. Sessions have no scope limit. Called by `assertCan` and by the writes that check
 * their rights by role themselves.
 */
export function assertScope(actor: Actor, action: Action): void {
  if (!scopesAllow(actor.scopes, action)) {
    throw new AppError("FORBIDDEN", { key: "errors.api.scopeMissing", values: { scope: scopeFor(action) } }, { action });
  }
}

/** `can(roles, action)` for this actor: the roles allow it and the actor's token scopes (if any) reach it. */
export function actorCan(actor: Actor, roles: readonly Role[], action: Action): boolean {
  return can(roles, action) && scopesAllow(actor.scopes, action);
}
