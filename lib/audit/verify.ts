import { z } from "zod";
import type { Db } from "../db/client";
import { formatMessage, type ErrorKey, type Message } from "../i18n/format";
import { invalid } from "../i18n/zod";
import { HASH_VERSION_KEYED, HASH_VERSION_LEGACY, keyedEventHash, keyedMac, legacyEventHash, sameDigest } from "./hash";
import { ledgerKeyring, type LedgerKeyring } from "./keys";
import { securityEventContent } from "./record";

// Recomputes a rollout's chain of audit events and names every event that does not match:
// an edited field breaks that event's hash, a removed event leaves a gap in the sequence
// or a dangling link, a reordering breaks both, and an event written without the ledger
// key (with the public SHA-256, or under another key) does not verify. Truncating the
// newest events leaves a consistent chain; a digest kept elsewhere catches that: it pins
// the count and the head hash at a moment in time.

export type ChainProblem = { seq: number; id: string | null; reason: string };
export type ChainReport = {
  rolloutId: string;
  count: number;
  head: string | null;
  ok: boolean;
  /** The first problem, or null. */
  problem: ChainProblem | null;
  problems: ChainProblem[];
};

export type EventRow = {
  id: bigint;
  rolloutId: string;
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
  hashVersion: number;
  keyId: string | null;
};

/** Where a verification starts: the chain's beginning, or a verified checkpoint. */
type Start = { previous: string | null; expectedSeq: number; keyedSeen: boolean; countBefore: number };
const FROM_THE_START: Start = { previous: null, expectedSeq: 1, keyedSeen: false, countBefore: 0 };

type Inspection = { report: ChainReport; why: Message<ErrorKey> | null };

export function verifyEvents(rolloutId: string, events: readonly EventRow[], keyring: LedgerKeyring = ledgerKeyring()): ChainReport {
  return inspect(rolloutId, events, keyring).report;
}

/** Whether `event`'s hash is right, or why not. */
function checkHash(event: EventRow, previous: string | null, keyring: LedgerKeyring, keyedSeen: boolean): Message<ErrorKey> | null {
  if (event.hashVersion === HASH_VERSION_LEGACY) {
    if (keyedSeen) return { key: "errors.ledger.unkeyedAfterKeyed" };
    return sameDigest(legacyEventHash(previous, event), event.hash) ? null : { key: "errors.ledger.hashMismatch" };
  }
  if (event.hashVersion === HASH_VERSION_KEYED) {
    const key = event.keyId === null ? undefined : keyring.byId.get(event.keyId);
    if (!key) return { key: "errors.ledger.unknownKey", values: { key: event.keyId ?? "—" } };
    return sameDigest(keyedEventHash(key, previous, event), event.hash) ? null : { key: "errors.ledger.hashMismatch" };
  }
  return { key: "errors.ledger.unknownVersion", values: { version: event.hashVersion } };
}

/** Every problem of the chain (events in insertion order), and the first one's reason as a message to translate. */
function inspect(rolloutId: string, events: readonly EventRow[], keyring: LedgerKeyring, start: Start = FROM_THE_START): Inspection {
  const problems: { problem: ChainProblem; why: Message<ErrorKey> }[] = [];
  const note = (event: EventRow, why: Message<ErrorKey>) =>
    problems.push({ problem: { seq: event.seq, id: event.id.toString(), reason: formatMessage("en", why) }, why });
  let { previous, expectedSeq, keyedSeen } = start;
  for (const event of events) {
    if (event.seq !== expectedSeq) {
      note(event, event.seq > expectedSeq ? { key: "errors.ledger.eventMissing", values: { seq: expectedSeq } } : { key: "errors.ledger.outOfSequence" });
    } else if (event.prevHash !== previous) {
      note(event, { key: "errors.ledger.linkMismatch" });
    } else {
      const why = checkHash(event, previous, keyring, keyedSeen);
      if (why) note(event, why);
    }
    // Carry on from what the row says, so one problem does not hide the next.
    keyedSeen ||= event.hashVersion !== HASH_VERSION_LEGACY;
    previous = event.hash;
    expectedSeq = event.seq + 1;
  }
  // Unkeyed events at the head prove nothing: anyone could have appended them. A keyed
  // event after them (any write, or `npm run ledger:seal`) vouches for them.
  const last = events.at(-1);
  if (last && !keyedSeen && problems.length === 0) {
    note(last, { key: "errors.ledger.unsealed", values: { seq: last.seq } });
  }
  const list = problems.map((p) => p.problem);
  return {
    report: { rolloutId, count: start.countBefore + events.length - (start.countBefore > 0 ? 1 : 0), head: last?.hash ?? start.previous, ok: list.length === 0, problem: list[0] ?? null, problems: list },
    why: problems[0]?.why ?? null,
  };
}

export async function verifyChain(db: Db, rolloutId: string, keyring: LedgerKeyring = ledgerKeyring()): Promise<ChainReport> {
  return (await explainChain(db, rolloutId, keyring)).report;
}

/** The whole chain from its first event, and why it breaks as a message pages format in the reader's language. */
export async function explainChain(db: Db, rolloutId: string, keyring: LedgerKeyring = ledgerKeyring()): Promise<Inspection> {
  // Read by id (insertion order) rather than seq, so a swapped seq is seen as a swap.
  const events = await db.auditEvent.findMany({ where: { rolloutId }, orderBy: { id: "asc" } });
  return inspect(rolloutId, events, keyring);
}

// ── Checkpoints ─────────────────────────────────────────────────────────────────────

const CHECKPOINT_PURPOSE = "ledger-checkpoint/1";

/** A stored checkpoint, as `LedgerCheckpoint` holds it. */
export type StoredCheckpoint = { count: number; head: string; keyId: string; mac: string };

function checkpointMac(keyring: LedgerKeyring, keyId: string, rolloutId: string, count: number, head: string): string | null {
  const key = keyring.byId.get(keyId);
  return key ? keyedMac(key, CHECKPOINT_PURPOSE, { rolloutId, count, head }) : null;
}

/**
 * What page views use: the events after the rollout's last verified checkpoint (and the
 * checkpoint's own head event, to see that it is still there and unchanged), then the
 * checkpoint moves forward. A checkpoint whose MAC does not verify (forged, or its key
 * retired) is ignored and the chain is verified from the start. `npm run ledger:verify`
 * always starts from the first event.
 */
export async function explainChainSinceCheckpoint(
  db: Db,
  rolloutId: string,
  keyring: LedgerKeyring = ledgerKeyring(),
  /** The rollout's checkpoint row when the caller has read it already (null: it has none), saving a statement. */
  preloaded?: StoredCheckpoint | null,
): Promise<Inspection> {
  const checkpoint = preloaded !== undefined ? preloaded : await db.ledgerCheckpoint.findUnique({ where: { rolloutId } });
  const trusted =
    checkpoint && checkpoint.count > 0 && sameDigest(checkpointMac(keyring, checkpoint.keyId, rolloutId, checkpoint.count, checkpoint.head) ?? "", checkpoint.mac)
      ? checkpoint
      : null;
  let inspection: Inspection;
  if (trusted) {
    const events = await db.auditEvent.findMany({ where: { rolloutId, seq: { gte: trusted.count } }, orderBy: { id: "asc" } });
    const [anchor] = events;
    if (!anchor || anchor.seq !== trusted.count || !sameDigest(anchor.hash, trusted.head)) {
      // The event the checkpoint vouched for is gone or changed: say so from the start.
      inspection = await explainChain(db, rolloutId, keyring);
      if (inspection.report.ok) {
        const why: Message<ErrorKey> = { key: "errors.ledger.historyRewritten", values: { seq: trusted.count } };
        const problem = { seq: trusted.count, id: anchor?.id.toString() ?? null, reason: formatMessage("en", why) };
        inspection = { report: { ...inspection.report, ok: false, problem, problems: [problem] }, why };
      }
    } else {
      inspection = inspect(rolloutId, events, keyring, { previous: anchor.prevHash, expectedSeq: anchor.seq, keyedSeen: true, countBefore: trusted.count });
    }
  } else {
    inspection = await explainChain(db, rolloutId, keyring);
  }
  const { report } = inspection;
  if (report.ok && report.head && report.count > (trusted?.count ?? 0)) {
    await saveCheckpoint(db, keyring, rolloutId, report.count, report.head);
  }
  return inspection;
}

async function saveCheckpoint(db: Db, keyring: LedgerKeyring, rolloutId: string, count: number, head: string) {
  const keyId = keyring.current.id;
  const mac = checkpointMac(keyring, keyId, rolloutId, count, head)!;
  // Only ever forward: two page views verifying at once must not move it back.
  await db.$executeRaw`
    INSERT INTO "LedgerCheckpoint" ("rolloutId", "count", "head", "keyId", "mac", "verifiedAt")
    VALUES (${rolloutId}, ${count}, ${head}, ${keyId}, ${mac}, now())
    ON CONFLICT ("rolloutId") DO UPDATE SET "count" = EXCLUDED."count", "head" = EXCLUDED."head", "keyId" = EXCLUDED."keyId", "mac" = EXCLUDED."mac", "verifiedAt" = EXCLUDED."verifiedAt"
    WHERE "LedgerCheckpoint"."count" < EXCLUDED."count"`;
}

// ── Digests ─────────────────────────────────────────────────────────────────────────

export const digestSchema = z.object({
  format: z.literal("greenlight-ledger-digest/1", { error: invalid("validation.digest.notADigest") }),
  rolloutId: z.string(),
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
export function checkDigestEvents(digest: LedgerDigest, events: readonly EventRow[], keyring: LedgerKeyring = ledgerKeyring()): DigestCheck {
  const { report, why: broken } = inspect(digest.rolloutId, events, keyring);
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

export async function checkDigest(db: Db, digest: LedgerDigest, keyring: LedgerKeyring = ledgerKeyring()): Promise<DigestCheck> {
  const events = await db.auditEvent.findMany({ where: { rolloutId: digest.rolloutId }, orderBy: { id: "asc" } });
  return checkDigestEvents(digest, events, keyring);
}

// ── The security log ────────────────────────────────────────────────────────────────

export type SecurityLogReport = { count: number; unkeyed: number; problems: { id: string; reason: string }[] };

/** Each security event's MAC; rows moved from the old global chain carry none and are only counted. */
export async function verifySecurityLog(db: Db, keyring: LedgerKeyring = ledgerKeyring()): Promise<SecurityLogReport> {
  const rows = await db.securityEvent.findMany({ orderBy: { id: "asc" } });
  const problems: SecurityLogReport["problems"] = [];
  let unkeyed = 0;
  for (const row of rows) {
    if (row.mac === null && row.keyId === null) {
      unkeyed++;
      continue;
    }
    const key = row.keyId === null ? undefined : keyring.byId.get(row.keyId);
    const why: Message<ErrorKey> | null = !key
      ? { key: "errors.ledger.unknownKey", values: { key: row.keyId ?? "—" } }
      : sameDigest(keyedMac(key, "security-event/1", securityEventContent(row)), row.mac ?? "")
        ? null
        : { key: "errors.ledger.hashMismatch" };
    if (why) problems.push({ id: row.id.toString(), reason: formatMessage("en", why) });
  }
  return { count: rows.length, unkeyed, problems };
}
