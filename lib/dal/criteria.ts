import "server-only";
import { recordAudit } from "../audit/record";
import { assertCan } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { VerifyCriterionInput } from "../validation/workflows";

/** Marks a success criterion verified (with a note) or not, conditional on its version. */
export async function verifyCriterion(actor: Actor, input: VerifyCriterionInput) {
  const db = getDb();
  const criterion = await db.successCriterion.findUnique({ where: { id: input.criterionId } });
  if (!criterion) throw new AppError("NOT_FOUND", { key: "errors.criteria.noSuchCriterion" });
  await assertCan(actor, criterion.rolloutId, "criteria.verify");
  return db.$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.successCriterion.updateMany({
      where: { id: criterion.id, version: input.version },
      data: input.verified
        ? { verifiedById: actor.id, verifiedAt: now, note: input.note ?? null, version: { increment: 1 } }
        : { verifiedById: null, verifiedAt: null, note: input.note ?? null, version: { increment: 1 } },
    });
    if (count === 0) {
      const fresh = await tx.successCriterion.findUnique({ where: { id: criterion.id } });
      throw new AppError("STALE", { key: "errors.criteria.stale" }, { fresh });
    }
    await recordAudit(tx, {
      rolloutId: criterion.rolloutId,
      actorId: actor.id,
      action: input.verified ? "criterion.verified" : "criterion.unverified",
      targetType: "SuccessCriterion",
      targetId: criterion.id,
      before: { verified: criterion.verifiedAt !== null, note: criterion.note },
      after: { verified: input.verified, note: input.note ?? null },
    });
    return tx.successCriterion.findUniqueOrThrow({ where: { id: criterion.id } });
  });
}
