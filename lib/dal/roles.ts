import "server-only";
import { cache } from "react";
import { recordAudit } from "../audit/record";
import { assertCan, getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { ALL_ROLES, ROLE_SLUGS, type RoleRef } from "../domain/roles";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { Role } from "../generated/prisma/enums";
import type { CreateCustomRoleInput, DeleteInput, RenameCustomRoleInput } from "../validation/plan";

type Tx = Prisma.TransactionClient;

/** A role that can be given in a rollout: a built-in one (name null: say it in the reader's language) or one of the rollout's own. */
export type RoleChoice = {
  /** What forms post: the built-in role's name or the custom role's id. */
  key: string;
  role: Role;
  customRoleId: string | null;
  slug: string;
  name: string | null;
  builtIn: boolean;
  version: number | null;
};

/** The person's role holdings in one rollout, as identities (memoized per request). */
export const getRoleHoldings = cache(async (userId: string, rolloutId: string): Promise<RoleRef[]> => {
  return getDb().rolloutMember.findMany({ where: { userId, rolloutId }, select: { role: true, customRoleId: true }, orderBy: { createdAt: "asc" } });
});

function toChoices(custom: { id: string; slug: string; name: string; baseRole: Role; version: number }[]): RoleChoice[] {
  return [
    ...ALL_ROLES.map((role): RoleChoice => ({ key: role, role, customRoleId: null, slug: ROLE_SLUGS[role], name: null, builtIn: true, version: null })),
    ...custom.map((c): RoleChoice => ({ key: c.id, role: c.baseRole, customRoleId: c.id, slug: c.slug, name: c.name, builtIn: false, version: c.version })),
  ];
}

/**
 * Every role that can be given, owned, read or asked to decide in the rollout: the ten
 * built-in roles, then the rollout's own, in their order. Any member may list them.
 */
export async function listRoleChoices(actor: Actor, rolloutId: string): Promise<RoleChoice[]> {
  await assertCan(actor, rolloutId, "rollout.view");
  const custom = await getDb().rolloutRole.findMany({ where: { rolloutId }, orderBy: { position: "asc" } });
  return toChoices(custom);
}

/**
 * The rollout's own roles the person holds there (id, slug, name; in the rollout's order):
 * their dashboards. No query unless the person holds one; a rollout they do not belong to
 * answers nothing.
 */
export const listHeldCustomRoles = cache(async (actor: Actor, rolloutId: string): Promise<{ id: string; slug: string; name: string }[]> => {
  const ids = (await getMemberships(actor.id)).find((m) => m.rolloutId === rolloutId)?.customRoleIds ?? [];
  if (ids.length === 0) return [];
  return getDb().rolloutRole.findMany({ where: { rolloutId, id: { in: ids } }, orderBy: { position: "asc" }, select: { id: true, slug: true, name: true } });
});

/** Resolves a posted role key within the rollout, or refuses it. */
export async function resolveRoleKey(tx: Tx, rolloutId: string, key: string): Promise<RoleRef> {
  if ((ALL_ROLES as readonly string[]).includes(key)) return { role: key as Role, customRoleId: null };
  const custom = await tx.rolloutRole.findFirst({ where: { id: key, rolloutId }, select: { id: true, baseRole: true } });
  if (!custom) throw new AppError("INVALID_INPUT", { key: "errors.plan.unknownRole" });
  return { role: custom.baseRole, customRoleId: custom.id };
}

/** The custom role a dashboard slug names in the rollout, if any. */
export async function findCustomRoleBySlug(actor: Actor, rolloutId: string, slug: string) {
  await assertCan(actor, rolloutId, "rollout.view");
  return getDb().rolloutRole.findUnique({ where: { rolloutId_slug: { rolloutId, slug } } });
}

function duplicate(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";
}

export async function createCustomRole(actor: Actor, input: CreateCustomRoleInput) {
  await assertCan(actor, input.rolloutId, "plan.edit");
  try {
    return await getDb().$transaction(async (tx) => {
      const last = await tx.rolloutRole.findFirst({ where: { rolloutId: input.rolloutId }, orderBy: { position: "desc" }, select: { position: true } });
      const created = await tx.rolloutRole.create({
        data: { rolloutId: input.rolloutId, name: input.name, slug: input.slug, baseRole: input.baseRole, position: (last?.position ?? -1) + 1 },
      });
      await recordAudit(tx, {
        rolloutId: input.rolloutId,
        actorId: actor.id,
        action: "plan.role.created",
        targetType: "RolloutRole",
        targetId: created.id,
        after: { name: created.name, slug: created.slug, baseRole: created.baseRole },
      });
      return created;
    });
  } catch (error) {
    if (duplicate(error)) throw new AppError("CONFLICT", { key: "errors.plan.roleTaken", values: { name: input.name, slug: input.slug } });
    throw error;
  }
}

async function loadCustomRole(actor: Actor, roleId: string) {
  const role = await getDb().rolloutRole.findUnique({ where: { id: roleId } });
  if (!role) throw new AppError("NOT_FOUND", { key: "errors.plan.noSuchRole" });
  await assertCan(actor, role.rolloutId, "plan.edit");
  return role;
}

export async function renameCustomRole(actor: Actor, input: RenameCustomRoleInput) {
  const role = await loadCustomRole(actor, input.roleId);
  try {
    return await getDb().$transaction(async (tx) => {
      const { count } = await tx.rolloutRole.updateMany({ where: { id: role.id, version: input.version }, data: { name: input.name, version: { increment: 1 } } });
      if (count === 0) throw new AppError("STALE", { key: "errors.plan.stale" }, { fresh: await tx.rolloutRole.findUnique({ where: { id: role.id } }) });
      await recordAudit(tx, {
        rolloutId: role.rolloutId,
        actorId: actor.id,
        action: "plan.role.updated",
        targetType: "RolloutRole",
        targetId: role.id,
        before: { name: role.name },
        after: { name: input.name },
      });
      return tx.rolloutRole.findUniqueOrThrow({ where: { id: role.id } });
    });
  } catch (error) {
    if (duplicate(error)) throw new AppError("CONFLICT", { key: "errors.plan.roleTaken", values: { name: input.name, slug: role.slug } });
    throw error;
  }
}

/** Deletes a custom role while nobody holds it and nothing in the plan names it. */
export async function deleteCustomRole(actor: Actor, input: DeleteInput) {
  const role = await loadCustomRole(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "RolloutRole" WHERE id = ${role.id} FOR UPDATE`;
    const [holders, items, reading, contacts, signOffs, decisions] = await Promise.all([
      tx.rolloutMember.count({ where: { customRoleId: role.id } }),
      tx.checklistItem.count({ where: { ownerCustomRoleId: role.id } }),
      tx.readingListEntry.count({ where: { customRoleId: role.id } }),
      tx.contact.count({ where: { customRoleId: role.id } }),
      tx.signOff.count({ where: { rolloutId: role.rolloutId, requiredCustomRoleIds: { has: role.id } } }),
      tx.signOffDecision.count({ where: { customRoleId: role.id } }),
    ]);
    const uses = holders + items + reading + contacts + signOffs + decisions;
    if (uses > 0) {
      throw new AppError("CONFLICT", { key: "errors.plan.roleInUse", values: { name: role.name, holders, references: uses - holders } });
    }
    const { count } = await tx.rolloutRole.deleteMany({ where: { id: role.id, version: input.version } });
    if (count === 0) throw new AppError("STALE", { key: "errors.plan.stale" }, { fresh: await tx.rolloutRole.findUnique({ where: { id: role.id } }) });
    await recordAudit(tx, {
      rolloutId: role.rolloutId,
      actorId: actor.id,
      action: "plan.role.deleted",
      targetType: "RolloutRole",
      targetId: role.id,
      before: { name: role.name, slug: role.slug, baseRole: role.baseRole },
    });
    return { id: role.id };
  });
}

