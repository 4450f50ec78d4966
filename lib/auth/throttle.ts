import { getDb } from "../db/client";

// Slows password guessing without letting an attacker lock the owner out.
//
// Every attempt is counted, before its password is checked, in fixed-window buckets:
// - a known device (the browser holds this account's device cookie, see device.ts):
//   only its own bucket, 5 attempts per 15 minutes. Nothing anyone else does counts
//   against it, so the owner gets in while the account is under attack from elsewhere;
// - any other device, when the client's address is known:
//   the (account, address) pair, 5 per 15 minutes;
//   the account from unknown devices, 100 per hour;
//   the address across all accounts, 300 per hour;
// - any other device whose address cannot be known: the account from unknown devices
//   only (never a bucket that all such clients would share).
// An attempt over any limit is refused and counts nowhere (its increments roll back).
// A successful sign-in takes its own attempt back and clears its pair or device bucket.
// Windows are fixed: each limit lifts when its window ends, never later.
//
// Counting is atomic: each bucket is one row, incremented by an INSERT … ON CONFLICT DO
// UPDATE … RETURNING inside one transaction, so concurrent attempts queue on the row and
// see each other's counts; 20 simultaneous guesses cannot get past a limit of 5.

export const LIMITS = {
  device: { max: 5, windowSeconds: 15 * 60 },
  pair: { max: 5, windowSeconds: 15 * 60 },
  account: { max: 100, windowSeconds: 60 * 60 },
  address: { max: 300, windowSeconds: 60 * 60 },
} as const;

export type BucketKind = keyof typeof LIMITS;

/** Where an attempt comes from: the client's address (null: unknown) and its known device for this account, if any. */
export type AttemptSource = { address: string | null; deviceId: string | null };

export type Reservation =
  | { allowed: true; keys: string[] }
  | { allowed: false; retryAfterSeconds: number; bucket: BucketKind };

export function accountKey(email: string): string {
  return email.trim().toLowerCase();
}

export function throttleBuckets(email: string, source: AttemptSource): { kind: BucketKind; key: string }[] {
  const account = accountKey(email);
  if (source.deviceId) return [{ kind: "device", key: `device:${account}|${source.deviceId}` }];
  const buckets: { kind: BucketKind; key: string }[] = [{ kind: "account", key: `account:${account}` }];
  if (source.address) {
    buckets.push({ kind: "pair", key: `pair:${account}|${source.address}` }, { kind: "address", key: `address:${source.address}` });
  }
  // One order for every transaction, so two attempts never wait on each other's rows crosswise.
  return buckets.sort((a, b) => a.key.localeCompare(b.key));
}

class Refused extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    readonly bucket: BucketKind,
  ) {
    super("refused");
  }
}

/** Counts one attempt in each of its buckets, or refuses it (counting nothing) when a bucket is full. */
export async function reserveSignInAttempt(email: string, source: AttemptSource, now = new Date()): Promise<Reservation> {
  const buckets = throttleBuckets(email, source);
  try {
    await getDb().$transaction(async (tx) => {
      for (const { kind, key } of buckets) {
        const { max, windowSeconds } = LIMITS[kind];
        const windowEnds = new Date(now.getTime() + windowSeconds * 1000);
        const [row] = await tx.$queryRaw<{ count: number; windowEnds: Date }[]>`
          INSERT INTO "SignInThrottle" AS t ("key", "count", "windowEnds")
          VALUES (${key}, 1, ${windowEnds})
          ON CONFLICT ("key") DO UPDATE SET
            "count" = CASE WHEN t."windowEnds" <= ${now} THEN 1 ELSE t."count" + 1 END,
            "windowEnds" = CASE WHEN t."windowEnds" <= ${now} THEN EXCLUDED."windowEnds" ELSE t."windowEnds" END
          RETURNING "count", "windowEnds"`;
        if (Number(row.count) > max) {
          throw new Refused(Math.max(1, Math.ceil((new Date(row.windowEnds).getTime() - now.getTime()) / 1000)), kind);
        }
      }
    });
  } catch (error) {
    if (error instanceof Refused) return { allowed: false, retryAfterSeconds: error.retryAfterSeconds, bucket: error.bucket };
    throw error;
  }
  return { allowed: true, keys: buckets.map((b) => b.key) };
}

/** After the password check: a success takes its attempt back (and clears its pair or device bucket); a failure stays counted. */
export async function settleSignInAttempt(keys: string[], succeeded: boolean, now = new Date()): Promise<void> {
  const db = getDb();
  if (succeeded) {
    const personal = keys.filter((key) => key.startsWith("pair:") || key.startsWith("device:"));
    const shared = keys.filter((key) => !personal.includes(key));
    await db.$transaction([
      db.signInThrottle.deleteMany({ where: { key: { in: personal } } }),
      db.signInThrottle.updateMany({ where: { key: { in: shared }, count: { gt: 0 } }, data: { count: { decrement: 1 } } }),
    ]);
    return;
  }
  // Housekeeping: a bucket whose window ended a day ago is never read again.
  await db.signInThrottle.deleteMany({ where: { windowEnds: { lt: new Date(now.getTime() - 24 * 3_600_000) } } });
}
