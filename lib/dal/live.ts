import "server-only";
import { assertCan, getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";

/** At most this many events per read; a stream reads again until it has caught up. */
export const LIVE_BATCH = 200;

/** How far back a fresh stream looks for events its page may have missed while loading. */
const CATCH_UP_MS = 5 * 60_000;

/**
 * Opens a live feed of a rollout for a member: its id, and the sequence number the feed
 * starts after. A resumed feed (`lastSeq`, from the browser's Last-Event-ID) starts there; a
 * fresh one starts after the last event recorded before its page was rendered (`since`),
 * else after the newest event. Anyone who is not a member gets NOT_FOUND.
 */
export async function openLiveFeed(actor: Actor, slug: string, resume: { lastSeq?: number | null; since?: Date | null } = {}) {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  await assertCan(actor, membership.rolloutId, "rollout.view");
  const rolloutId = membership.rolloutId;
  if (resume.lastSeq !== null && resume.lastSeq !== undefined) return { rolloutId, afterSeq: resume.lastSeq };
  const now = Date.now();
  const since = resume.since && resume.since.getTime() <= now && resume.since.getTime() >= now - CATCH_UP_MS ? resume.since : null;
  const last = await getDb().auditEvent.findFirst({
    where: { rolloutId, ...(since ? { at: { lte: since } } : {}) },
    orderBy: { seq: "desc" },
    select: { seq: true },
  });
  return { rolloutId, afterSeq: last?.seq ?? 0 };
}

/**
 * The events of the rollout after `afterSeq` (sequence numbers only: pages fetch what their
 * reader may see), oldest first — or `null` when the person is no longer an active member
 * (membership is read afresh on every call, so a removed member's stream ends).
 */
export async function readLiveEvents(actor: Actor, rolloutId: string, afterSeq: number): Promise<{ seq: number }[] | null> {
  const db = getDb();
  const [member, events] = await Promise.all([
    db.rolloutMember.findFirst({ where: { userId: actor.id, rolloutId, user: { active: true } }, select: { userId: true } }),
    db.auditEvent.findMany({ where: { rolloutId, seq: { gt: afterSeq } }, orderBy: { seq: "asc" }, take: LIVE_BATCH, select: { seq: true } }),
  ]);
  return member ? events : null;
}
