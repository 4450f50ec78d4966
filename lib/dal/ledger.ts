import "server-only";
import { checkDigest, explainChainSinceCheckpoint, type LedgerDigest } from "../audit/verify";
import { assertCan } from "../auth/access";
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
  const [events, { report: chain }] = await Promise.all([
    db.auditEvent.findMany({
      where: { rolloutId, targetType: "SignOff", targetId: { in: [...signOffIds] }, action: { in: ["signoff.approved", "signoff.rejected"] } },
      orderBy: { seq: "asc" },
      select: { seq: true, actorId: true, targetId: true, hash: true, at: true },
    }),
    explainChainSinceCheckpoint(db, rolloutId),
  ]);
  return { events, chain };
}
