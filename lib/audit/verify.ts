import { z } from "zod";
import type { Db } from "../db/client";
import { hashAuditEvent } from "./record";

// Recomputes a rollout's chain of audit events and names the first one that does not
// match: an edited field breaks that event's hash, a removed event leaves a gap in the
// sequence or a dangling link, a reordering breaks both. Truncating the newest events
// (or rewriting the whole chain) leaves a consistent chain; a digest kept elsewhere
// catches those: it pins the count and the head hash at a moment in time.

export type ChainProblem = { seq: number; id: string | null; reason: string };
export type ChainReport = { rolloutId: string | null; count: number; head: string | null; ok: boolean; problem: ChainProblem | null };

export type EventRow = {
  id: bigint;
  rolloutId: string | null;
  seq: number;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  at: Date;
  prevHash: string | null;
  hash: string;
};

export function verifyEvents(rolloutId: string | null, events: readonly EventRow[]): ChainReport {
  let previous: string | null = null;
  let expectedSeq = 1;
  for (const event of events) {
    const id = event.id.toString();
    if (event.seq !== expectedSeq) {
      return report(rolloutId, events, { seq: event.seq, id, reason: event.seq > expectedSeq ? `event ${expectedSeq} is missing before it` : "it is out of sequence" });
    }
    if (event.prevHash !== previous) {
      return report(rolloutId, events, { seq: event.seq, id, reason: "its link to the previous event does not match" });
    }
    const recomputed = hashAuditEvent(previous, {
      rolloutId: event.rolloutId,
      actorId: event.actorId,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      before: event.before ?? null,
      after: event.after ?? null,
      seq: event.seq,
      at: event.at,
    });
    if (recomputed !== event.hash) {
      return report(rolloutId, events, { seq: event.seq, id, reason: "its content does not match its hash" });
    }
    previous = event.hash;
    expectedSeq++;
  }
  return report(rolloutId, events, null);
}

function report(rolloutId: string | null, events: readonly EventRow[], problem: ChainProblem | null): ChainReport {
  const last = events.at(-1);
  return { rolloutId, count: events.length, head: last?.hash ?? null, ok: problem === null, problem };
}

export async function verifyChain(db: Db, rolloutId: string | null): Promise<ChainReport> {
  // Read by id (insertion order) rather than seq, so a swapped seq is seen as a swap.
  const events = await db.auditEvent.findMany({ where: { rolloutId }, orderBy: { id: "asc" } });
  return verifyEvents(rolloutId, events);
}

export const digestSchema = z.object({
  format: z.literal("greenlight-ledger-digest/1", { error: "This is not a Greenlight ledger digest." }),
  rolloutId: z.string().nullable(),
  count: z.number().int().min(0),
  head: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  takenAt: z.string(),
});
export type LedgerDigest = z.infer<typeof digestSchema>;

export function makeDigest(report: ChainReport, now = new Date()): LedgerDigest {
  return { format: "greenlight-ledger-digest/1", rolloutId: report.rolloutId, count: report.count, head: report.head, takenAt: now.toISOString() };
}

export type DigestCheck = { ok: boolean; reason: string | null; report: ChainReport };

/** Whether the chain still contains, unchanged, everything the digest saw. */
export function checkDigestEvents(digest: LedgerDigest, events: readonly EventRow[]): DigestCheck {
  const report = verifyEvents(digest.rolloutId, events);
  if (!report.ok) return { ok: false, reason: `the chain itself is broken at event ${report.problem!.seq}: ${report.problem!.reason}`, report };
  if (digest.count === 0) return { ok: true, reason: null, report };
  if (report.count < digest.count) return { ok: false, reason: `the digest saw ${digest.count} events, the chain now has ${report.count}: events were removed`, report };
  const event = events.find((e) => e.seq === digest.count);
  if (!event || event.hash !== digest.head) {
    return { ok: false, reason: `event ${digest.count} no longer has the hash the digest recorded: the history was rewritten`, report };
  }
  return { ok: true, reason: null, report };
}

export async function checkDigest(db: Db, digest: LedgerDigest): Promise<DigestCheck> {
  const events = await db.auditEvent.findMany({ where: { rolloutId: digest.rolloutId }, orderBy: { id: "asc" } });
  return checkDigestEvents(digest, events);
}
