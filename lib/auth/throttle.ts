import { getDb } from "../db/client";

// Slows password guessing without ever locking anyone out for good:
// - per account: after 5 failures within the hour, each further attempt waits
//   2^(failures-4) seconds (capped at 15 minutes), and at most 100 failures an hour;
// - per client address: at most 300 failures an hour, across all accounts.
// Failures older than an hour no longer count, so every limit lifts by itself.

export const ACCOUNT_FAILURES_PER_HOUR = 100;
export const ADDRESS_FAILURES_PER_HOUR = 300;
const FREE_FAILURES = 5;
const MAX_BACKOFF_SECONDS = 15 * 60;
const HOUR = 3_600_000;

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function accountKey(email: string): string {
  return email.trim().toLowerCase();
}

export async function checkSignInThrottle(email: string, ip: string, now = new Date()): Promise<ThrottleVerdict> {
  const db = getDb();
  const since = new Date(now.getTime() - HOUR);
  const [account, address] = await Promise.all([
    db.signInFailure.aggregate({
      where: { accountKey: accountKey(email), at: { gt: since } },
      _count: { _all: true },
      _min: { at: true },
      _max: { at: true },
    }),
    db.signInFailure.aggregate({ where: { ip, at: { gt: since } }, _count: { _all: true }, _min: { at: true } }),
  ]);
  const untilOldestExpires = (oldest: Date | null) =>
    Math.max(1, Math.ceil(((oldest?.getTime() ?? now.getTime()) + HOUR - now.getTime()) / 1000));

  if (address._count._all >= ADDRESS_FAILURES_PER_HOUR) {
    return { allowed: false, retryAfterSeconds: untilOldestExpires(address._min.at) };
  }
  const failures = account._count._all;
  if (failures >= ACCOUNT_FAILURES_PER_HOUR) {
    return { allowed: false, retryAfterSeconds: untilOldestExpires(account._min.at) };
  }
  if (failures >= FREE_FAILURES && account._max.at) {
    const backoff = Math.min(MAX_BACKOFF_SECONDS, 2 ** (failures - FREE_FAILURES + 1));
    const wait = Math.ceil((account._max.at.getTime() + backoff * 1000 - now.getTime()) / 1000);
    if (wait > 0) return { allowed: false, retryAfterSeconds: wait };
  }
  return { allowed: true };
}

export async function recordSignInFailure(email: string, ip: string, now = new Date()): Promise<void> {
  const db = getDb();
  await db.signInFailure.create({ data: { accountKey: accountKey(email), ip, at: now } });
  // Housekeeping: nothing older than an hour is ever read again.
  await db.signInFailure.deleteMany({ where: { at: { lt: new Date(now.getTime() - 2 * HOUR) } } });
}

/** A successful sign-in ends the account's back-off (the address's count stays). */
export async function clearAccountFailures(email: string): Promise<void> {
  await getDb().signInFailure.deleteMany({ where: { accountKey: accountKey(email) } });
}
