import "server-only";
import { recordAudit, recordSecurityEvent } from "../audit/record";
import { assertCan, assertInstanceAdmin, getInstanceRights, getMemberships, actorCan } from "../auth/access";
import { hashPassword, verifyPassword } from "../auth/password";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { Role } from "../generated/prisma/enums";
import type { Prisma } from "../generated/prisma/client";
import type { ChangePasswordInput, CreateUserInput, SetCreateRightInput, SetMemberRolesInput, SetUserActiveInput } from "../validation/users";

// People and their roles. Tenant boundaries: an admin of a rollout sees and changes the
// people of the rollouts they administer, and nothing about anyone else. Listing every
// account, deactivating an account and granting the right to create rollouts are the
// instance admin's powers only.

type Tx = Prisma.TransactionClient;

/** A held role as the forms name it: the built-in role, or "custom:<id>" for a rollout's own. */
export function roleValue(row: { role: Role; customRoleId: string | null }): string {
  return row.customRoleId ? `custom:${row.customRoleId}` : row.role;
}

export type AdminUserRow = {
  id: string;
  email: string;
  name: string;
  active: boolean;
  sso: boolean;
  /** Role values ("DBA", "custom:<id>") per administered rollout. */
  roles: Record<string, string[]>;
  /** Instance-wide rights; only filled in for an instance admin's view. */
  canCreateRollouts?: boolean;
  isInstanceAdmin?: boolean;
};

export type AdminRollout = { id: string; slug: string; name: string; archived: boolean; customRoles: { id: string; name: string; baseRole: Role }[] };

/**
 * The people an admin may manage. A rollout admin: the members of the rollouts they
 * administer (their roles there and nowhere else). An instance admin: every account.
 */
export async function listUsersForAdmin(actor: Actor, options: { rolloutId?: string } = {}) {
  const [memberships, rights] = await Promise.all([getMemberships(actor.id), getInstanceRights(actor)]);
  let managed = memberships.filter((m) => actorCan(actor, m.roles, "users.manage"));
  if (options.rolloutId) managed = managed.filter((m) => m.rolloutId === options.rolloutId);
  if (managed.length === 0 && (!rights.isInstanceAdmin || options.rolloutId)) {
    throw new AppError("FORBIDDEN", { key: "errors.users.adminOnly" });
  }
  const ids = managed.map((m) => m.rolloutId);
  const everyone = rights.isInstanceAdmin && !options.rolloutId;
  const db = getDb();
  const [users, customRoles] = await Promise.all([
    db.user.findMany({
      where: everyone ? {} : { memberships: { some: { rolloutId: { in: ids } } } },
      select: {
        id: true,
        email: true,
        name: true,
        active: true,
        oidcSubject: true,
        canCreateRollouts: true,
        isInstanceAdmin: true,
        memberships: { where: { rolloutId: { in: ids } }, select: { rolloutId: true, role: true, customRoleId: true } },
      },
      orderBy: { name: "asc" },
    }),
    db.rolloutRole.findMany({ where: { rolloutId: { in: ids } }, select: { id: true, rolloutId: true, name: true, baseRole: true }, orderBy: { position: "asc" } }),
  ]);
  const rows: AdminUserRow[] = users.map((user) => {
    const roles: Record<string, string[]> = {};
    for (const m of user.memberships) (roles[m.rolloutId] ??= []).push(roleValue(m));
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      active: user.active,
      sso: Boolean(user.oidcSubject),
      roles,
      ...(rights.isInstanceAdmin ? { canCreateRollouts: user.canCreateRollouts, isInstanceAdmin: user.isInstanceAdmin } : {}),
    };
  });
  const rollouts: AdminRollout[] = managed.map(({ rolloutId, slug, name, archived }) => ({
    id: rolloutId,
    slug,
    name,
    archived,
    customRoles: customRoles.filter((r) => r.rolloutId === rolloutId).map(({ id, name, baseRole }) => ({ id, name, baseRole })),
  }));
  return { rollouts, users: rows, isInstanceAdmin: rights.isInstanceAdmin };
}

/** The (role, customRoleId) rows the choices stand for; a custom role must be the rollout's own. */
async function resolveRoles(tx: Tx, rolloutId: string, values: string[]): Promise<{ role: Role; customRoleId: string | null }[]> {
  type Choice = { role: Role } | { customRoleId: string };
  const choices: Choice[] = values.map((value) => (value.startsWith("custom:") ? { customRoleId: value.slice("custom:".length) } : { role: value as Role }));
  const customIds = choices.flatMap((c) => ("customRoleId" in c ? [c.customRoleId] : []));
  const custom = customIds.length
    ? await tx.rolloutRole.findMany({ where: { rolloutId, id: { in: customIds } }, select: { id: true, baseRole: true } })
    : [];
  const rows = new Map<string, { role: Role; customRoleId: string | null }>();
  for (const choice of choices) {
    if ("role" in choice) {
      rows.set(choice.role, { role: choice.role, customRoleId: null });
      continue;
    }
    const found = custom.find((r) => r.id === choice.customRoleId);
    if (!found) throw new AppError("INVALID_INPUT", { key: "errors.users.noSuchRole" });
    rows.set(`custom:${found.id}`, { role: found.baseRole, customRoleId: found.id });
  }
  return [...rows.values()];
}

/**
 * Adds a person to a rollout by email with roles. An email that already has an account
 * adds that account: the answer is the same whatever else the account belongs to, and says
 * nothing about it (not its name). A new email creates an account with the name and
 * password given.
 */
export async function createUser(actor: Actor, input: CreateUserInput): Promise<{ id: string; created: boolean; email: string; name: string | null }> {
  await assertCan(actor, input.rolloutId, "users.manage");
  const db = getDb();
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (!existing && (!input.name || !input.password)) {
    throw new AppError("INVALID_INPUT", { key: "errors.users.newAccountDetails", values: { email: input.email } });
  }
  const passwordHash = !existing && input.password ? await hashPassword(input.password) : null;
  return db.$transaction(async (tx) => {
    const rows = await resolveRoles(tx, input.rolloutId, input.roles);
    let userId = existing?.id;
    if (!userId) {
      const user = await tx.user.create({ data: { email: input.email, name: input.name!, passwordHash }, select: { id: true } });
      userId = user.id;
      await recordAudit(tx, {
        rolloutId: input.rolloutId,
        actorId: actor.id,
        action: "user.created",
        targetType: "User",
        targetId: userId,
        after: { email: input.email, name: input.name, roles: rows.map(roleValue) },
      });
    }
    const before = await tx.rolloutMember.findMany({ where: { rolloutId: input.rolloutId, userId }, select: { role: true, customRoleId: true } });
    await tx.rolloutMember.createMany({
      data: rows.map((row) => ({ rolloutId: input.rolloutId, userId: userId!, role: row.role, customRoleId: row.customRoleId })),
      skipDuplicates: true,
    });
    const after = await tx.rolloutMember.findMany({ where: { rolloutId: input.rolloutId, userId }, select: { role: true, customRoleId: true } });
    if (existing && after.length !== before.length) {
      await recordAudit(tx, {
        rolloutId: input.rolloutId,
        actorId: actor.id,
        action: "member.added",
        targetType: "User",
        targetId: userId,
        before: { roles: before.map(roleValue).sort() },
        after: { email: input.email, roles: after.map(roleValue).sort() },
      });
    }
    return { id: userId, created: !existing, email: input.email, name: existing ? null : input.name! };
  });
}

/** Whether the person is an account the actor manages: any, for an instance admin; else a member of a rollout they administer. */
async function mayReach(actor: Actor, userId: string): Promise<boolean> {
  const db = getDb();
  if ((await getInstanceRights(actor)).isInstanceAdmin) return (await db.user.count({ where: { id: userId } })) > 0;
  const managed = (await getMemberships(actor.id)).filter((m) => actorCan(actor, m.roles, "users.manage")).map((m) => m.rolloutId);
  return (await db.rolloutMember.count({ where: { userId, rolloutId: { in: managed } } })) > 0;
}

/** Sets a member's roles in one rollout (all of them: an empty list removes the person from it). */
export async function setMemberRoles(actor: Actor, input: SetMemberRolesInput) {
  await assertCan(actor, input.rolloutId, "users.manage");
  // Someone not yet in this rollout: only a person the admin already manages elsewhere (or
  // any account, for an instance admin). Anyone else answers "no such user".
  const reachable = await mayReach(actor, input.userId);
  return getDb().$transaction(async (tx) => {
    const current = await tx.rolloutMember.findMany({ where: { rolloutId: input.rolloutId, userId: input.userId }, select: { id: true, role: true, customRoleId: true } });
    if (current.length === 0 && !reachable) throw new AppError("NOT_FOUND", { key: "errors.users.noSuchUser" });
    const wanted = await resolveRoles(tx, input.rolloutId, input.roles);
    const before = current.map(roleValue).sort();
    const after = wanted.map(roleValue).sort();
    if (before.join() === after.join()) return { changed: false };
    const wasAdmin = current.some((m) => m.role === "ADMIN" && !m.customRoleId);
    const staysAdmin = wanted.some((m) => m.role === "ADMIN" && !m.customRoleId);
    if (wasAdmin && !staysAdmin) {
      const admins = await tx.rolloutMember.count({ where: { rolloutId: input.rolloutId, role: "ADMIN", customRoleId: null, user: { active: true } } });
      if (admins <= 1) throw new AppError("CONFLICT", { key: "errors.users.lastAdmin" });
    }
    await tx.rolloutMember.deleteMany({ where: { id: { in: current.filter((m) => !after.includes(roleValue(m))).map((m) => m.id) } } });
    await tx.rolloutMember.createMany({
      data: wanted
        .filter((row) => !before.includes(roleValue(row)))
        .map((row) => ({ rolloutId: input.rolloutId, userId: input.userId, role: row.role, customRoleId: row.customRoleId })),
    });
    // Their open sessions must pick up the new roles on the next request.
    await tx.user.update({ where: { id: input.userId }, data: { sessionVersion: { increment: 1 }, version: { increment: 1 } } });
    await recordAudit(tx, {
      rolloutId: input.rolloutId,
      actorId: actor.id,
      action: after.length === 0 ? "member.removed" : "member.roles.changed",
      targetType: "User",
      targetId: input.userId,
      before: { roles: before },
      after: { roles: after },
    });
    return { changed: true };
  });
}

/** Deactivating or reactivating an account is the instance admin's: it reaches every rollout the person is in. */
export async function setUserActive(actor: Actor, input: SetUserActiveInput) {
  await assertInstanceAdmin(actor);
  if (input.userId === actor.id && !input.active) throw new AppError("CONFLICT", { key: "errors.users.cannotDeactivateSelf" });
  return getDb().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, active: true } });
    if (!user) throw new AppError("NOT_FOUND", { key: "errors.users.noSuchUser" });
    if (user.active === input.active) return { changed: false };
    await tx.user.update({
      where: { id: user.id },
      data: { active: input.active, sessionVersion: { increment: 1 }, version: { increment: 1 } },
    });
    await recordSecurityEvent(tx, {
      actorId: actor.id,
      action: input.active ? "user.reactivated" : "user.deactivated",
      targetType: "User",
      targetId: user.id,
      details: { before: { active: user.active }, after: { active: input.active } },
    });
    return { changed: true };
  });
}

/** Granting or withdrawing the right to create rollouts: the instance admin's only. */
export async function setCreateRight(actor: Actor, input: SetCreateRightInput) {
  await assertInstanceAdmin(actor);
  return getDb().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, canCreateRollouts: true } });
    if (!user) throw new AppError("NOT_FOUND", { key: "errors.users.noSuchUser" });
    if (user.canCreateRollouts === input.allowed) return { changed: false };
    await tx.user.update({ where: { id: user.id }, data: { canCreateRollouts: input.allowed, version: { increment: 1 } } });
    await recordSecurityEvent(tx, {
      actorId: actor.id,
      action: input.allowed ? "user.createRight.granted" : "user.createRight.withdrawn",
      targetType: "User",
      targetId: user.id,
      details: { before: { canCreateRollouts: user.canCreateRollouts }, after: { canCreateRollouts: input.allowed } },
    });
    return { changed: true };
  });
}

export async function changeOwnPassword(actor: Actor, input: ChangePasswordInput) {
  const db = getDb();
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.id }, omit: { passwordHash: false } });
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError("INVALID_INPUT", { key: "errors.users.wrongCurrentPassword" });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash, sessionVersion: { increment: 1 }, version: { increment: 1 } } });
    await recordSecurityEvent(tx, { actorId: actor.id, action: "user.password.changed", targetType: "User", targetId: actor.id });
  });
}
