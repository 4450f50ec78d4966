import "server-only";
import { recordAudit, recordSecurityEvent } from "../audit/record";
import { assertCan, getMemberships } from "../auth/access";
import { can } from "../auth/permissions";
import { hashPassword, verifyPassword } from "../auth/password";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { Role } from "../generated/prisma/enums";
import { Prisma } from "../generated/prisma/client";
import type { ChangePasswordInput, CreateUserInput, SetMemberRolesInput, SetUserActiveInput } from "../validation/users";

/** Rollouts where the actor manages users; refuses when there are none. */
async function administeredRollouts(actor: Actor) {
  const managed = (await getMemberships(actor.id)).filter((m) => can(m.roles, "users.manage"));
  if (managed.length === 0) throw new AppError("FORBIDDEN", { key: "errors.users.adminOnly" });
  return managed;
}

export type AdminUserRow = {
  id: string;
  email: string;
  name: string;
  active: boolean;
  sso: boolean;
  roles: Record<string, Role[]>;
};

/** The users an admin may manage: members of their rollouts, and people with no rollout yet. */
export async function listUsersForAdmin(actor: Actor) {
  const rollouts = await administeredRollouts(actor);
  const ids = rollouts.map((r) => r.rolloutId);
  const users = await getDb().user.findMany({
    where: { OR: [{ memberships: { some: { rolloutId: { in: ids } } } }, { memberships: { none: {} } }] },
    select: {
      id: true,
      email: true,
      name: true,
      active: true,
      oidcSubject: true,
      memberships: { where: { rolloutId: { in: ids } }, select: { rolloutId: true, role: true } },
    },
    orderBy: { name: "asc" },
  });
  const rows: AdminUserRow[] = users.map((user) => {
    const roles: Record<string, Role[]> = {};
    for (const m of user.memberships) (roles[m.rolloutId] ??= []).push(m.role);
    return { id: user.id, email: user.email, name: user.name, active: user.active, sso: Boolean(user.oidcSubject), roles };
  });
  return { rollouts: rollouts.map(({ rolloutId, slug, name }) => ({ id: rolloutId, slug, name })), users: rows };
}

export async function createUser(actor: Actor, input: CreateUserInput) {
  await assertCan(actor, input.rolloutId, "users.manage");
  const passwordHash = await hashPassword(input.password);
  try {
    return await getDb().$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash },
        select: { id: true, email: true, name: true },
      });
      await tx.rolloutMember.createMany({ data: input.roles.map((role) => ({ rolloutId: input.rolloutId, userId: user.id, role })) });
      await recordAudit(tx, {
        rolloutId: input.rolloutId,
        actorId: actor.id,
        action: "user.created",
        targetType: "User",
        targetId: user.id,
        after: { email: user.email, name: user.name, roles: input.roles },
      });
      return user;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CONFLICT", { key: "errors.users.emailTaken", values: { email: input.email } });
    }
    throw error;
  }
}

export async function setMemberRoles(actor: Actor, input: SetMemberRolesInput) {
  await assertCan(actor, input.rolloutId, "users.manage");
  const wanted = [...new Set(input.roles)].sort();
  return getDb().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true } });
    if (!user) throw new AppError("NOT_FOUND", { key: "errors.users.noSuchUser" });
    const current = await tx.rolloutMember.findMany({ where: { rolloutId: input.rolloutId, userId: input.userId } });
    const before = current.map((m) => m.role).sort();
    if (before.join() === wanted.join()) return { changed: false };
    if (before.includes("ADMIN") && !wanted.includes("ADMIN")) {
      const admins = await tx.rolloutMember.count({ where: { rolloutId: input.rolloutId, role: "ADMIN", user: { active: true } } });
      if (admins <= 1) throw new AppError("CONFLICT", { key: "errors.users.lastAdmin" });
    }
    await tx.rolloutMember.deleteMany({ where: { rolloutId: input.rolloutId, userId: input.userId, role: { notIn: wanted } } });
    await tx.rolloutMember.createMany({
      data: wanted.filter((role) => !before.includes(role)).map((role) => ({ rolloutId: input.rolloutId, userId: input.userId, role })),
    });
    // Their open sessions must pick up the new roles on the next request.
    await tx.user.update({ where: { id: input.userId }, data: { sessionVersion: { increment: 1 }, version: { increment: 1 } } });
    await recordAudit(tx, {
      rolloutId: input.rolloutId,
      actorId: actor.id,
      action: "member.roles.changed",
      targetType: "User",
      targetId: input.userId,
      before: { roles: before },
      after: { roles: wanted },
    });
    return { changed: true };
  });
}

export async function setUserActive(actor: Actor, input: SetUserActiveInput) {
  const rollouts = await administeredRollouts(actor);
  if (input.userId === actor.id && !input.active) throw new AppError("CONFLICT", { key: "errors.users.cannotDeactivateSelf" });
  return getDb().$transaction(async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: input.userId },
      select: { id: true, active: true, memberships: { select: { rolloutId: true } } },
    });
    const shared = user?.memberships.some((m) => rollouts.some((r) => r.rolloutId === m.rolloutId));
    if (!user || (user.memberships.length > 0 && !shared)) throw new AppError("NOT_FOUND", { key: "errors.users.noSuchUser" });
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
