import type { Db } from "../db/client";

// The background queues the metrics report, each read at scrape time with aggregate
// queries: how many items wait (depth), how many of them are due now (the rest wait
// for a retry's backoff), and how long the oldest has waited. A queue's rows live in the
// database (a transactional outbox), so every instance reports the same numbers: scrape
// one, or take the max over instances.
//
// Adding a queue is one entry in QUEUES: its name (the `queue` label) and a function that
// reads its stats with the model's own queries (see the webhook outbox's below).

export type QueueStats = { depth: number; due: number; oldestSeconds: number };

export type QueueProbe = { name: string; read: (db: Db) => Promise<QueueStats> };

/** The stats from a queue's counts and its oldest waiting item's creation time. */
export function queueStats(depth: number, due: number, oldest: Date | null, now = new Date()): QueueStats {
  return { depth, due, oldestSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0 };
}

/** The webhook outbox (lib/webhooks): a PENDING row waits until delivered or failed; it is due once its next attempt's time has come. */
async function webhookQueue(db: Db): Promise<QueueStats> {
  const now = new Date();
  const [waiting, due] = await Promise.all([
    db.webhookDelivery.aggregate({ where: { status: "PENDING" }, _count: { _all: true }, _min: { createdAt: true } }),
    db.webhookDelivery.count({ where: { status: "PENDING", nextAttemptAt: { lte: now } } }),
  ]);
  return queueStats(waiting._count._all, due, waiting._min.createdAt, now);
}

/** The email outbox (lib/email): a PENDING row waits until sent or failed; rows HELD for a daily digest are not queued yet. */
async function emailQueue(db: Db): Promise<QueueStats> {
  const now = new Date();
  const [waiting, due] = await Promise.all([
    db.emailJob.aggregate({ where: { status: "PENDING" }, _count: { _all: true }, _min: { createdAt: true } }),
    db.emailJob.count({ where: { status: "PENDING", nextAttemptAt: { lte: now } } }),
  ]);
  return queueStats(waiting._count._all, due, waiting._min.createdAt, now);
}

export const QUEUES: QueueProbe[] = [
  { name: "webhooks", read: webhookQueue },
  { name: "email", read: emailQueue },
];
