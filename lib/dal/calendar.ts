import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { recordAudit } from "../audit/record";
import { assertCan, getMemberships } from "../auth/access";
import { can } from "../auth/permissions";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Issues a new secret feed URL for the actor in one rollout, revoking the previous one. */
export async function createCalendarToken(actor: Actor, rolloutId: string): Promise<string> {
  await assertCan(actor, rolloutId, "plan.export");
  const token = randomBytes(24).toString("base64url");
  await getDb().$transaction(async (tx) => {
    await tx.calendarToken.updateMany({ where: { userId: actor.id, rolloutId, revokedAt: null }, data: { revokedAt: new Date() } });
    const created = await tx.calendarToken.create({ data: { userId: actor.id, rolloutId, tokenHash: hashToken(token) } });
    await recordAudit(tx, { rolloutId, actorId: actor.id, action: "calendar.token.created", targetType: "CalendarToken", targetId: created.id });
  });
  return token;
}

export async function revokeCalendarTokens(actor: Actor, rolloutId: string): Promise<number> {
  await assertCan(actor, rolloutId, "plan.export");
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.calendarToken.updateMany({ where: { userId: actor.id, rolloutId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count > 0) await recordAudit(tx, { rolloutId, actorId: actor.id, action: "calendar.token.revoked", targetType: "CalendarToken", targetId: null });
    return count;
  });
}

/** The rollouts where the actor has a live calendar link. */
export async function rolloutsWithCalendarLink(actor: Actor): Promise<Set<string>> {
  const tokens = await getDb().calendarToken.findMany({ where: { userId: actor.id, revokedAt: null }, select: { rolloutId: true } });
  return new Set(tokens.map((token) => token.rolloutId));
}

/**
 * The calendar data behind a secret URL, or null: unknown or revoked token, deactivated
 * person, or a person who no longer belongs to the rollout all answer the same nothing.
 */
export async function calendarForToken(token: string) {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  const db = getDb();
  const record = await db.calendarToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { active: true, locale: true, memberships: { select: { rolloutId: true, role: true } } } } },
  });
  if (!record || record.revokedAt || !record.user.active) return null;
  // The link carries its owner's rights: it stops working when they lose them.
  const roles = record.user.memberships.filter((m) => m.rolloutId === record.rolloutId).map((m) => m.role);
  if (!can(roles, "plan.export")) return null;
  return { ...(await readCalendar(record.rolloutId)), locale: record.user.locale };
}

/** A rollout's calendar for a member who may export its plan (the API's calendar export). */
export async function calendarForMember(actor: Actor, slug: string) {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  await assertCan(actor, membership.rolloutId, "plan.export");
  return readCalendar(membership.rolloutId);
}

/** What a rollout's calendar shows (the caller has checked `plan.export`). */
async function readCalendar(rolloutId: string) {
  const db = getDb();
  const [rollout, phases, milestones, signOffs] = await Promise.all([
    db.rollout.findUniqueOrThrow({ where: { id: rolloutId }, select: { id: true, name: true, slug: true } }),
    db.phase.findMany({ where: { rolloutId }, orderBy: { position: "asc" } }),
    db.milestone.findMany({ where: { rolloutId }, orderBy: { position: "asc" } }),
    db.signOff.findMany({ where: { rolloutId, dueAt: { not: null } }, orderBy: { position: "asc" } }),
  ]);
  return { rollout, phases, milestones, signOffs };
}
