import type { Prisma } from "../generated/prisma/client";
import { canonicalJson, HASH_VERSION_KEYED, keyedEventHash, keyedMac } from "./hash";
import { noteRollout } from "../observe/context";
import { projectBurnDown } from "./burn-down";
import { ledgerKeyring } from "./keys";
import { LIVE_CHANNEL } from "../db/live";
import { enqueueWebhooks } from "../webhooks/outbox";

export { canonicalJson } from "./hash";

// Every change and decision of a rollout appends one event, in the same transaction as
// the change. Each event's hash is an HMAC (under the ledger key, held outside the
// database) that covers the previous event's hash of the same rollout, so any rewrite of
// history breaks the chain from that point on, and nobody without the key can write an
// event that verifies. Sign-ins and account changes belong to no rollout: they go to the
// security log (`recordSecurityEvent`), which has no chain and so no global lock.

export type AuditInput = {
  rolloutId: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
};

export type SecurityEventInput = {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: unknown;
};

type Tx = Prisma.TransactionClient;
/** A transaction or the client itself: a security event needs no transaction of its own. */
type SecurityLogWriter = { securityEvent: { create(args: { data: Prisma.SecurityEventUncheckedCreateInput }): PromiseLike<unknown> } };

function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(canonicalJson(value)) as Prisma.InputJsonValue;
}

/** Appends an audit event to its rollout's chain inside the caller's transaction; returns its sequence number. */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<{ seq: number }> {
  noteRollout(input.rolloutId);
  const key = ledgerKeyring().current;
  // Serialize writers of one chain: the advisory lock is held until the transaction
  // ends, so two concurrent changes cannot both extend the same previous event.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`audit:${input.rolloutId}`}))`;
  const last = await tx.auditEvent.findFirst({
    where: { rolloutId: input.rolloutId },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  const seq = (last?.seq ?? 0) + 1;
  const at = new Date();
  const before = toJson(input.before);
  const after = toJson(input.after);
  const prevHash = last?.hash ?? null;
  const hash = keyedEventHash(key, prevHash, { ...input, before: before ?? null, after: after ?? null, seq, at });
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
      prevHash,
      hash,
      hashVersion: HASH_VERSION_KEYED,
      keyId: key.id,
    },
  });
  if (input.action === "item.state.changed" && input.targetType === "ChecklistItem" && input.targetId) {
    await projectBurnDown(tx, { rolloutId: input.rolloutId, itemId: input.targetId, at, before: input.before, after: input.after });
  }
  // The webhooks' outbox (lib/webhooks): written with the event, so sent only if it commits.
  await enqueueWebhooks(tx, { rolloutId: input.rolloutId, seq, at, actorId: input.actorId, action: input.action, targetType: input.targetType, targetId: input.targetId ?? null, before: before ?? null, after: after ?? null });
  // Announced to open pages (lib/db/live.ts) when, and only if, the transaction commits.
  await tx.$executeRaw`SELECT pg_notify(${LIVE_CHANNEL}, ${`${input.rolloutId}:${seq}`})`;
  return { seq };
}

/** What a security event's MAC covers. */
export function securityEventContent(event: { actorId: string | null; action: string; targetType: string; targetId: string | null; details: unknown; at: Date }) {
  return { actorId: event.actorId, action: event.action, targetType: event.targetType, targetId: event.targetId, details: event.details ?? null, at: event.at.toISOString() };
}

/** Appends a sign-in, sign-out or account change to the security log (no chain, no lock; a MAC per row). */
export async function recordSecurityEvent(db: SecurityLogWriter, input: SecurityEventInput): Promise<void> {
  const key = ledgerKeyring().current;
  const at = new Date();
  const details = toJson(input.details);
  const targetId = input.targetId ?? null;
  const mac = keyedMac(key, "security-event/1", securityEventContent({ ...input, targetId, details: details ?? null, at }));
  await db.securityEvent.create({ data: { actorId: input.actorId, action: input.action, targetType: input.targetType, targetId, details, at, keyId: key.id, mac } });
}
