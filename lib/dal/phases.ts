import "server-only";
import { recordAudit } from "../audit/record";
import { notify, phaseApprovers, phaseWorkers } from "../notifications/notify";
import { actorCan, assertCan, rolesIn } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { evaluateGate, type Gate } from "../domain/gate";
import { canTransition, TARGET } from "../domain/phase";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { ErrorKey, Message } from "../i18n/format";
import type { TransitionPhaseInput } from "../validation/workflows";

type Tx = Prisma.TransactionClient | ReturnType<typeof getDb>;

export async function computePhaseGate(tx: Tx, phaseId: string): Promise<Gate> {
  const [items, signOffs] = await Promise.all([
    tx.checklistItem.findMany({ where: { phaseId }, select: { id: true, text: true, state: true, optional: true }, orderBy: { position: "asc" } }),
    tx.signOff.findMany({
      where: { phaseId },
      select: { id: true, title: true, status: true, requiredForGate: true, kind: true },
      orderBy: { position: "asc" },
    }),
  ]);
  return evaluateGate(items, signOffs);
}

/** Why the gate is closed: the first five blockers, and how many more there are. */
function gateRefusal(phase: { name: string }, gate: Gate): Message<ErrorKey> {
  const blockers = gate.blockers.slice(0, 5).map(
    (b): Message<ErrorKey> =>
      b.kind === "item"
        ? { key: "errors.gate.itemOpen", values: { text: b.text } }
        : { key: b.status === "REJECTED" ? "errors.gate.signOffRejected" : "errors.gate.signOffPending", values: { title: b.title } },
  );
  return { key: "errors.phases.gateIncomplete", values: { phase: phase.name, blockers, more: Math.max(0, gate.blockers.length - 5) } };
}

/**
 * Moves a phase along: start, submit for sign-off, complete, block, unblock, skip.
 * Completing is refused while the gate is closed, unless the executive overrides it
 * with a reason, which stays on the phase and in the audit trail.
 */
export async function transitionPhase(actor: Actor, input: TransitionPhaseInput) {
  const db = getDb();
  const phase = await db.phase.findUnique({ where: { id: input.phaseId } });
  if (!phase) throw new AppError("NOT_FOUND", { key: "errors.phases.noSuchPhase" });
  await assertCan(actor, phase.rolloutId, "phase.transition");
  if (!canTransition(phase.status, input.transition)) {
    throw new AppError("CONFLICT", { key: "errors.phases.transitionNotAllowed", values: { status: phase.status, transition: input.transition } });
  }
  if (input.transition === "skip" && !phase.optional) {
    throw new AppError("CONFLICT", { key: "errors.phases.notOptional", values: { phase: phase.name } });
  }
  if (input.override && input.transition !== "complete") {
    throw new AppError("INVALID_INPUT", { key: "errors.phases.overrideOnlyCompletion" });
  }
  if (input.override && !actorCan(actor, await rolesIn(actor, phase.rolloutId), "gate.override")) {
    throw new AppError("FORBIDDEN", { key: "errors.phases.overrideExecutiveOnly" });
  }

  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Phase" WHERE id = ${phase.id} FOR UPDATE`;
    if (input.transition === "start") {
      const earlier = await tx.phase.findFirst({
        where: { rolloutId: phase.rolloutId, position: { lt: phase.position }, status: { notIn: ["DONE", "SKIPPED"] } },
        orderBy: { position: "desc" },
      });
      if (earlier) throw new AppError("CONFLICT", { key: "errors.phases.earlierPhaseOpen", values: { earlier: earlier.name, phase: phase.name } });
    }
    let gate: Gate | null = null;
    if (input.transition === "complete") {
      gate = await computePhaseGate(tx, phase.id);
      if (!gate.open && !input.override) {
        throw new AppError("CONFLICT", gateRefusal(phase, gate), { blockers: gate.blockers });
      }
    }
    const now = new Date();
    // Unblocking returns a phase to where it was: in progress only if it had started.
    const to = input.transition === "unblock" && !phase.actualStart ? "NOT_STARTED" : TARGET[input.transition];
    const { count } = await tx.phase.updateMany({
      where: { id: phase.id, version: input.version },
      data: {
        status: to,
        version: { increment: 1 },
        ...(input.transition === "start" ? { actualStart: now } : {}),
        ...(input.transition === "complete" || input.transition === "skip" ? { actualEnd: now } : {}),
        ...(input.transition === "block" ? { blockedReason: input.reason } : {}),
        ...(input.transition === "unblock" ? { blockedReason: null } : {}),
        ...(input.transition === "reopen" ? { actualEnd: null } : {}),
        ...(input.override && gate && !gate.open ? { overrideReason: input.reason, overriddenById: actor.id, overriddenAt: now } : {}),
      },
    });
    if (count === 0) {
      const fresh = await tx.phase.findUnique({ where: { id: phase.id } });
      throw new AppError("STALE", { key: "errors.phases.stale" }, { fresh });
    }
    const overridden = Boolean(input.override && gate && !gate.open);
    const { seq } = await recordAudit(tx, {
      rolloutId: phase.rolloutId,
      actorId: actor.id,
      action: overridden ? "phase.gate.overridden" : `phase.${input.transition}`,
      targetType: "Phase",
      targetId: phase.id,
      before: { status: phase.status, version: phase.version },
      after: {
        status: to,
        reason: input.reason ?? null,
        ...(overridden ? { blockers: gate!.blockers.map((b) => (b.kind === "item" ? b.text : b.title)) } : {}),
      },
    });
    await notifyTransition(tx, actor, phase, input.transition, overridden, seq);
    return tx.phase.findUniqueOrThrow({ where: { id: phase.id } });
  });
}

/**
 * Who is told about a phase's move. A phase that starts: each approver of its sign-offs
 * still pending (a sign-off awaits their decision). A gate passed (completed), overridden or
 * reopened: everyone involved in the phase (who works on it, or approves its sign-offs).
 */
async function notifyTransition(tx: Prisma.TransactionClient, actor: Actor, phase: { id: string; rolloutId: string; position: number }, transition: TransitionPhaseInput["transition"], overridden: boolean, seq: number) {
  const path = `/phases/${phase.position}`;
  const base = { rolloutId: phase.rolloutId, actorId: actor.id, eventSeq: seq, path };
  if (transition === "start") {
    for (const { signOffId, userIds } of await phaseApprovers(tx, phase.id, true)) {
      await notify(tx, { ...base, kind: "SIGNOFF_AWAITING", recipients: userIds, targetType: "SignOff", targetId: signOffId });
    }
    return;
  }
  const kind = overridden ? "GATE_OVERRIDDEN" : transition === "complete" ? "GATE_PASSED" : transition === "reopen" ? "GATE_REOPENED" : null;
  if (!kind) return;
  const [workers, approvers] = await Promise.all([phaseWorkers(tx, phase.id), phaseApprovers(tx, phase.id)]);
  await notify(tx, { ...base, kind, recipients: [...workers.userIds, ...approvers.flatMap((a) => a.userIds)], targetType: "Phase", targetId: phase.id });
}
