import { z } from "zod";
import type { Db } from "../db/client";
import { formatMessage, type ErrorKey, type Message } from "../i18n/format";
import { invalid } from "../i18n/zod";
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
  return inspect(rolloutId, events).report;
}

/** The report, and why the chain breaks as a message to translate. */
function inspect(rolloutId: string | null, events: readonly EventRow[]): { report: ChainReport; why: Message<ErrorKey> | null } {
  const broken = (event: EventRow, why: Message<ErrorKey>) => ({
    report: report(rolloutId, events, { seq: event.seq, id: event.id.toString(), reason: formatMessage("en", why) }),
    why,
  });
  let previous: string | null = null;
  let expectedSeq = 1;
  for (const event of events) {
    if (event.seq !== expectedSeq) {
      return broken(event, event.seq > expectedSeq ? { key: "errors.ledger.eventMissing", values: { seq: expectedSeq } } : { key: "errors.ledger.outOfSequence" });
    }
    if (event.prevHash !== previous) {
      return broken(event, { key: "errors.ledger.linkMismatch" });
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
      return broken(event, { key: "errors.ledger.hashMismatch" });
    }
    previous = event.hash;
    expectedSeq++;
  }
  return { report: report(rolloutId, events, null), why: null };
}

function report(rolloutId: string | null, events: readonly EventRow[], problem: ChainProblem | null): ChainReport {
  const last = events.at(-1);
  return { rolloutId, count: events.length, head: last?.hash ?? null, ok: problem === null, problem };
}

export async function verifyChain(db: Db, rolloutId: string | null): Promise<ChainReport> {
  return (await explainChain(db, rolloutId)).report;
}

/** The report, and why the chain breaks as a message pages format in the reader's language. */
export async function explainChain(db: Db, rolloutId: string | null): Promise<{ report: ChainReport; why: Message<ErrorKey> | null }> {
  // Read by id (insertion order) rather than seq, so a swapped seq is seen as a swap.
  const events = await db.auditEvent.findMany({ where: { rolloutId }, orderBy: { id: "asc" } });
  return inspect(rolloutId, events);
}

export const digestSchema = z.object({
  format: z.literal("greenlight-ledger-digest/1", { error: invalid("validation.digest.notADigest") }),
  rolloutId: z.string().nullable(),
  count: z.number().int().min(0),
  head: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  takenAt: z.string(),
});
export type LedgerDigest = z.infer<typeof digestSchema>;

export function makeDigest(report: ChainReport, now = new Date()): LedgerDigest {
  return { format: "greenlight-ledger-digest/1", rolloutId: report.rolloutId, count: report.count, head: report.head, takenAt: now.toISOString() };
}

/** `reason` is the English text of `why`, for the command line. */
export type DigestCheck =
  | { ok: true; reason: null; why: null; report: ChainReport }
  | { ok: false; reason: string; why: Message<ErrorKey>; report: ChainReport };

/** Whether the chain still contains, unchanged, everything the digest saw. */
export function checkDigestEvents(digest: LedgerDigest, events: readonly EventRow[]): DigestCheck {
  const { report, why: broken } = inspect(digest.rolloutId, events);
  const fails = (why: Message<ErrorKey>): DigestCheck => ({ ok: false, reason: formatMessage("en", why), why, report });
  if (broken) return fails({ key: "errors.ledger.chainBroken", values: { seq: report.problem!.seq, problem: broken } });
  if (digest.count === 0) return { ok: true, reason: null, why: null, report };
  if (report.count < digest.count) return fails({ key: "errors.ledger.eventsRemoved", values: { saw: digest.count, count: report.count } });
  const event = events.find((e) => e.seq === digest.count);
  if (!event || event.hash !== digest.head) {
    return fails({ key: "errors.ledger.historyRewritten", values: { seq: digest.count } });
  }
  return { ok: true, reason: null, why: null, report };
}

export async function checkDigest(db: Db, digest: LedgerDigest): Promise<DigestCheck> {
  const events = await db.auditEvent.findMany({ where: { rolloutId: digest.rolloutId }, orderBy: { id: "asc" } });
  return checkDigestEvents(digest, events);
}
