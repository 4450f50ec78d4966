import "server-only";
import { checkDigest, explainChainSinceCheckpoint, type LedgerDigest } from "../audit/verify";
import { assertCan, getMemberships } from "../auth/access";
import { evaluateGate } from "../domain/gate";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";

/**
 * The rollout's chain as verified now, and why it breaks if it does: for whoever may read
 * the audit trail. Only the events after the last verified checkpoint are read, so a page
 * view costs the same however long the history is (`npm run ledger:verify` checks it all).
 */
export async function getLedgerReport(actor: Actor, rolloutId: string) {
  await assertCan(actor, rolloutId, "audit.read");
  return explainChainSinceCheckpoint(getDb(), rolloutId);
}

/** Checks a digest kept elsewhere against the rollout's chain; a mismatch is a CONFLICT naming why. */
export async function checkLedgerDigest(actor: Actor, rolloutId: string, digest: LedgerDigest) {
  await assertCan(actor, rolloutId, "audit.read");
  if (digest.rolloutId !== rolloutId) throw new AppError("INVALID_INPUT", { key: "errors.ledger.otherRollout" });
  const result = await checkDigest(getDb(), digest);
  if (!result.ok) throw new AppError("CONFLICT", { key: "errors.ledger.mismatch", values: { reason: result.why } });
  return result.report;
}

/**
 * What a sign-off certificate proves its decisions with: the ledger events that recorded
 * them and the chain's state now (verified from its checkpoint). Anyone who may see the
 * rollout may print it.
 */
export async function getDecisionEvidence(actor: Actor, rolloutId: string, signOffIds: readonly string[]) {
  await assertCan(actor, rolloutId, "rollout.view");
  const db = getDb();
  // The decisions' events and the ledger's checkpoint in one read, then the events after it.
  const { auditEvents: events, ledgerCheckpoint } = await db.rollout.findUniqueOrThrow({
    where: { id: rolloutId },
    select: {
      auditEvents: {
        where: { targetType: "SignOff", targetId: { in: [...signOffIds] }, action: { in: ["signoff.approved", "signoff.rejected"] } },
        orderBy: { seq: "asc" },
        select: { seq: true, actorId: true, targetId: true, hash: true, at: true },
      },
      ledgerCheckpoint: { select: { count: true, head: true, keyId: true, mac: true } },
    },
  });
  const { report: chain } = await explainChainSinceCheckpoint(db, rolloutId, undefined, ledgerCheckpoint);
  return { events, chain };
}

/**
 * What a phase's certificate shows besides the evidence, in one statement after the
 * membership lookup: the phase, its gate (its open required items and its sign-offs) and
 * its sign-offs with every decision. Anyone who may see the rollout may print it; a
 * position the rollout does not have is NOT_FOUND.
 */
export async function getPhaseCertificate(actor: Actor, slug: string, position: number) {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  await assertCan(actor, membership.rolloutId, "rollout.view");
  if (!Number.isSafeInteger(position)) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  const person = { select: { id: true, name: true } } as const;
  const phase = await getDb().phase.findUnique({
    where: { rolloutId_position: { rolloutId: membership.rolloutId, position } },
    select: {
      id: true,
      position: true,
      name: true,
      status: true,
      overrideReason: true,
      items: { where: { state: "OPEN", optional: false }, select: { id: true, text: true, state: true, optional: true }, orderBy: { position: "asc" } },
      signOffs: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          title: true,
          status: true,
          kind: true,
          requiredForGate: true,
          decisions: { orderBy: { decidedAt: "asc" }, select: { id: true, userId: true, role: true, value: true, comment: true, title: true, decidedAt: true, withdrawnAt: true, user: person } },
        },
      },
    },
  });
  if (!phase) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  const { items, signOffs, ...rest } = phase;
  return { rollout: { id: membership.rolloutId, slug: membership.slug, name: membership.name }, phase: rest, signOffs, gate: evaluateGate(items, signOffs) };
}
