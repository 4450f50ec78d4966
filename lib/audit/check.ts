import type { Db } from "../db/client";
import { recordAudit } from "./record";
import { ledgerKeyring, type LedgerKeyring } from "./keys";
import { describeFinding, replayRollout } from "./replay";
import { HASH_VERSION_LEGACY } from "./hash";
import { checkDigest, digestSchema, makeDigest, verifyEvents, verifySecurityLog } from "./verify";

// What `npm run ledger:verify` checks, from the first event of every chain: the chains
// (links, sequence, keyed hashes), the state tables against a replay of the events, the
// security log's MACs, and digests kept elsewhere. Anything wrong, including a table
// that is missing or unreadable, is a finding: a line of output, never a crash.

export type LedgerCheck = { lines: string[]; findings: number };

/** A database error as one line: which table is missing, or the driver's first line. */
export function describeDbError(error: unknown): string {
  const e = error as { code?: string; meta?: Record<string, unknown>; message?: string; cause?: unknown };
  const table = e?.meta?.table ?? e?.meta?.modelName;
  if (e?.code === "P2021" || /does not exist/i.test(String(e?.message))) {
    const named = table ?? /relation "([^"]+)"|table `?(?:public\.)?([^`\s]+)`?/i.exec(String(e?.message))?.slice(1).find(Boolean);
    return named ? `table ${String(named).replace(/^public\./, "")} is missing` : `a table is missing (${firstLine(e?.message)})`;
  }
  return firstLine(e?.message ?? String(error));
}

function firstLine(text: unknown): string {
  return String(text ?? "").trim().split("\n").filter(Boolean).at(-1) ?? "unknown error";
}

async function attempt<T>(what: string, fail: (line: string) => void, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    fail(`FAIL ${what}: ${describeDbError(error)}`);
    return undefined;
  }
}

export async function checkLedger(db: Db, options: { digests?: string[]; keyring?: LedgerKeyring } = {}): Promise<LedgerCheck> {
  const keyring = options.keyring ?? ledgerKeyring();
  const lines: string[] = [];
  let findings = 0;
  const fail = (line: string) => {
    lines.push(line);
    findings++;
  };
  const rollouts = (await attempt("rollouts", fail, () => db.rollout.findMany({ select: { id: true, slug: true }, orderBy: { slug: "asc" } }))) ?? [];

  for (const [index, text] of (options.digests ?? []).entries()) {
    const parsed = (() => {
      try {
        return digestSchema.safeParse(JSON.parse(text));
      } catch {
        return null;
      }
    })();
    if (!parsed?.success) {
      fail(`FAIL digest line ${index + 1}: not a ledger digest`);
      continue;
    }
    const digest = parsed.data;
    const result = await attempt(`digest of ${digest.rolloutId}`, fail, () => checkDigest(db, digest, keyring));
    if (!result) continue;
    if (result.ok) lines.push(`ok   digest of ${digest.rolloutId} taken ${digest.takenAt}`);
    else fail(`FAIL digest of ${digest.rolloutId} taken ${digest.takenAt}: ${result.reason}`);
  }

  for (const rollout of rollouts) {
    const events = await attempt(`${rollout.slug}: events`, fail, () => db.auditEvent.findMany({ where: { rolloutId: rollout.id }, orderBy: { id: "asc" } }));
    if (!events) continue;
    const report = verifyEvents(rollout.id, events, keyring);
    if (report.ok) lines.push(`ok   ${rollout.slug}: ${report.count} events, head ${report.head ?? "-"}`);
    for (const problem of report.problems) fail(`FAIL ${rollout.slug}: event ${problem.seq} (id ${problem.id}): ${problem.reason}`);
    const replay = await attempt(`${rollout.slug}: replay`, fail, () => replayRollout(db, rollout.id, events));
    if (!replay) continue;
    if (replay.length === 0) lines.push(`ok   ${rollout.slug}: state tables match the replayed events`);
    for (const finding of replay) fail(`FAIL ${rollout.slug}: ${describeFinding(finding)}`);
  }

  const security = await attempt("security log", fail, () => verifySecurityLog(db, keyring));
  if (security) {
    if (security.problems.length === 0) {
      lines.push(`ok   security log: ${security.count} events${security.unkeyed ? ` (${security.unkeyed} moved from the old global chain carry no MAC)` : ""}`);
    }
    for (const problem of security.problems) fail(`FAIL security log: event id ${problem.id}: ${problem.reason}`);
  }
  return { lines, findings };
}

/** Digest lines for every rollout (or one), to keep somewhere else. */
export async function ledgerDigests(db: Db, slug?: string, keyring: LedgerKeyring = ledgerKeyring()): Promise<string[]> {
  const rollouts = await db.rollout.findMany({ where: slug ? { slug } : {}, select: { id: true }, orderBy: { slug: "asc" } });
  const lines: string[] = [];
  for (const rollout of rollouts) {
    const events = await db.auditEvent.findMany({ where: { rolloutId: rollout.id }, orderBy: { id: "asc" } });
    lines.push(JSON.stringify(makeDigest(verifyEvents(rollout.id, events, keyring))));
  }
  return lines;
}

/**
 * After upgrading: appends one keyed event to every chain that ends with unkeyed (version 1)
 * events and otherwise verifies, so nobody can extend those chains with the public hash.
 */
export async function sealLegacyChains(db: Db, keyring: LedgerKeyring = ledgerKeyring()): Promise<string[]> {
  const lines: string[] = [];
  for (const rollout of await db.rollout.findMany({ select: { id: true, slug: true }, orderBy: { slug: "asc" } })) {
    const events = await db.auditEvent.findMany({ where: { rolloutId: rollout.id }, orderBy: { id: "asc" } });
    const last = events.at(-1);
    if (!last || last.hashVersion !== HASH_VERSION_LEGACY) continue;
    const report = verifyEvents(rollout.id, events, keyring);
    const onlyUnsealed = report.problems.length === 1 && report.problem!.seq === last.seq && last.hashVersion === HASH_VERSION_LEGACY;
    if (!report.ok && !onlyUnsealed) {
      lines.push(`FAIL ${rollout.slug}: not sealed, the chain is broken at event ${report.problem!.seq}: ${report.problem!.reason}`);
      continue;
    }
    await db.$transaction((tx) =>
      recordAudit(tx, { rolloutId: rollout.id, actorId: null, action: "ledger.sealed", targetType: "Rollout", targetId: rollout.id, after: { seq: last.seq, head: last.hash } }),
    );
    lines.push(`ok   ${rollout.slug}: events 1 to ${last.seq} sealed under key ${keyring.current.id}`);
  }
  return lines;
}
