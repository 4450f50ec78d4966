import "server-only";
import { assertCan, getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { Progress } from "../domain/gate";
import { PHASE_CARD_BLOCKERS } from "../view/limits";
import { readPhaseGates, type PhaseGate } from "./phase-gates";

/** A phase card of the overview: the phase, its progress and its gate as every page shows it. */
export type PhaseOverview = PhaseGate;

export type RolloutOverview = {
  rollout: { id: string; slug: string; name: string; description: string | null };
  phases: PhaseOverview[];
  overall: Progress;
  others: { slug: string; name: string }[];
};

/**
 * The overview of one rollout the actor belongs to. After the membership lookup (one
 * query, shared with the layout), three queries run in parallel, whatever the plan's size:
 * the rollout's own row, and its phases with their gates (`readPhaseGates`: two).
 */
export async function getRolloutOverview(actor: Actor, slug: string): Promise<RolloutOverview> {
  const memberships = await getMemberships(actor.id);
  const membership = memberships.find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  await assertCan(actor, membership.rolloutId, "rollout.view");

  const [rollout, { phases, overall }] = await Promise.all([
    getDb().rollout.findUniqueOrThrow({
      where: { id: membership.rolloutId },
      select: { id: true, slug: true, name: true, description: true },
    }),
    readPhaseGates(membership.rolloutId, { firstItems: PHASE_CARD_BLOCKERS }),
  ]);
  return {
    rollout,
    others: memberships.filter((m) => m.rolloutId !== rollout.id).map(({ slug, name }) => ({ slug, name })),
    overall,
    phases,
  };
}
