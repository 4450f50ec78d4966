import { createHash } from "node:crypto";
import type { Prisma } from "../generated/prisma/client";

// Every change and decision appends one event, in the same transaction as the change.
// Each event's hash covers the previous event's hash of the same rollout, so any
// rewrite of history breaks the chain from that point on.

export type AuditInput = {
  rolloutId: string | null;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
};

type Tx = Prisma.TransactionClient;

/** Stable JSON: keys sorted, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  });
}

export function hashAuditEvent(prevHash: string | null, event: AuditInput & { seq: number; at: Date }): string {
  const payload = canonicalJson({
    rolloutId: event.rolloutId,
    seq: event.seq,
    actorId: event.actorId,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId ?? null,
    before: event.before ?? null,
    after: event.after ?? null,
    at: event.at.toISOString(),
  });
  return createHash("sha256").update(`${prevHash ?? ""}\n${payload}`).digest("hex");
}

function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(canonicalJson(value)) as Prisma.InputJsonValue;
}

/** Appends an audit event inside the caller's transaction. */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  // Serialize writers of one chain: the advisory lock is held until the transaction
  // ends, so two concurrent changes cannot both extend the same previous event.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`audit:${input.rolloutId ?? "global"}`}))`;
  const last = await tx.auditEvent.findFirst({
    where: { rolloutId: input.rolloutId },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  const seq = (last?.seq ?? 0) + 1;
  const at = new Date();
  const before = toJson(input.before);
  const after = toJson(input.after);
  const hash = hashAuditEvent(last?.hash ?? null, { ...input, before: before ?? null, after: after ?? null, seq, at });
  await tx.auditEvent.create({
    data: {
      rolloutId: input.rolloutId,
      actorId: input.actorId,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      before,
      after,
      seq,
      at,
      prevHash: last?.hash ?? null,
      hash,
    },
  });
}
