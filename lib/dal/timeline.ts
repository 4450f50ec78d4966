import "server-only";
import { assertCan, getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { loadRolloutSnapshot, type RolloutSnapshot } from "./snapshot";
import { burnDownFromDays, phaseItemCounts, type BurnDown, type PhaseItemCounts } from "../view/timeline";

/** The caller's rollout by slug, or NOT_FOUND when they are not a member (its existence does not leak). */
async function rolloutFor(actor: Actor, slug: string): Promise<string> {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  await assertCan(actor, membership.rolloutId, "rollout.view");
  return membership.rolloutId;
}

/**
 * The phases' planned and actual windows and the plan's milestones: three queries in
 * parallel after the (per-request, shared) membership lookup, whatever the plan's size.
 */
export async function getTimeline(actor: Actor, slug: string) {
  const rolloutId = await rolloutFor(actor, slug);
  const db = getDb();
  const [rollout, phases, milestones] = await Promise.all([
    db.rollout.findUniqueOrThrow({ where: { id: rolloutId }, select: { id: true, slug: true, name: true, anchorDate: true } }),
    db.phase.findMany({
      where: { rolloutId },
      orderBy: { position: "asc" },
      select: {
        id: true,
        position: true,
        name: true,
        window: true,
        optional: true,
        status: true,
        plannedStart: true,
        plannedEnd: true,
        actualStart: true,
        actualEnd: true,
      },
    }),
    db.milestone.findMany({
      where: { rolloutId },
      orderBy: [{ startsAt: "asc" }, { position: "asc" }],
      select: { id: true, key: true, label: true, startsAt: true, endsAt: true, details: true, phaseId: true },
    }),
  ]);
  return { rollout, phases, milestones };
}

export type Timeline = Awaited<ReturnType<typeof getTimeline>>;

export type BurnDownData = {
  rollout: { id: string; slug: string; name: string };
  /** When counting starts: the rollout's first audit event (its seeding), else now. */
  startedAt: Date;
  /** Done / open / not applicable phase items per phase, in phase order. */
  phases: PhaseItemCounts[];
  burnDown: BurnDown;
};

/**
 * Open phase items per day since the rollout began, from the daily projection the item
 * state writes keep (`BurnDownDay`, one row per day with changes) and today's counts from
 * the snapshot. Built on the dashboard's snapshot, it adds one statement however long the
 * history is: the projection's rows and the rollout's first audit event, read together.
 */
export async function burnDownFromSnapshot(snapshot: RolloutSnapshot, now: Date = new Date()): Promise<BurnDownData> {
  const rolloutId = snapshot.rollout.id;
  const { auditEvents, burnDownDays } = await getDb().rollout.findUniqueOrThrow({
    where: { id: rolloutId },
    select: {
      auditEvents: { where: { seq: 1 }, select: { at: true } },
      burnDownDays: { orderBy: { day: "asc" }, select: { day: true, delta: true } },
    },
  });
  const items = snapshot.items.filter((i) => i.list === "PHASE").map((i) => ({ id: i.id, phaseId: i.phaseId, state: i.state }));
  const plannedEnds = snapshot.phases.flatMap((p) => (p.plannedEnd ? [p.plannedEnd.getTime()] : []));
  const startedAt = auditEvents[0]?.at ?? now;
  return {
    rollout: snapshot.rollout,
    startedAt,
    phases: phaseItemCounts(snapshot.phases, items),
    burnDown: burnDownFromDays({
      start: startedAt,
      now,
      idealEnd: plannedEnds.length ? new Date(Math.max(...plannedEnds)) : null,
      openNow: items.filter((i) => i.state === "OPEN").length,
      days: burnDownDays,
    }),
  };
}

/** The burn-down on its own: the snapshot's queries plus one. */
export async function getBurnDown(actor: Actor, slug: string, now: Date = new Date()): Promise<BurnDownData> {
  return burnDownFromSnapshot(await loadRolloutSnapshot(actor, slug), now);
}
