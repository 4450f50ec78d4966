import { Gauge, Registry } from "prom-client";
import { explainChainSinceCheckpoint } from "../audit/verify";
import type { Db } from "../db/client";
import { ItemState, PhaseStatus, SignOffStatus } from "../generated/prisma/enums";
import { metrics } from "./metrics";
import { QUEUES } from "./queues";

// The series computed on each scrape, with aggregate queries (one per kind, whatever the
// number of rollouts), into a registry of their own: a rollout deleted since the last
// scrape simply is not there. Templates are not rollouts anyone runs: left out.

export async function scrapeText(db: Db | null): Promise<{ body: string; contentType: string }> {
  const process = metrics().registry;
  const scraped = await rolloutRegistry(db);
  const body = `${await process.metrics()}\n${await scraped.metrics()}`;
  return { body, contentType: process.contentType };
}

async function rolloutRegistry(db: Db | null): Promise<Registry> {
  if (!db) return scrapeFailed();
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[]) => new Gauge({ name, help, labelNames, registers: [registry] });
  const items = gauge("greenlight_rollout_items", "Checklist items per rollout, by state.", ["rollout", "state"]);
  const signOffs = gauge("greenlight_rollout_sign_offs", "Sign-offs per rollout, by status.", ["rollout", "status"]);
  const phases = gauge("greenlight_rollout_phases", "Phases per rollout, by status.", ["rollout", "status"]);
  const archived = gauge("greenlight_rollout_archived", "1 when the rollout is archived.", ["rollout"]);
  const verified = gauge("greenlight_ledger_verified", "1 when the rollout's audit ledger verifies (from its last checkpoint), else 0.", ["rollout"]);
  const events = gauge("greenlight_ledger_events", "Events in the rollout's audit ledger.", ["rollout"]);
  const checkpointEvents = gauge("greenlight_ledger_checkpoint_events", "Events covered by the rollout's last verified checkpoint.", ["rollout"]);
  const checkpointAt = gauge("greenlight_ledger_checkpoint_timestamp_seconds", "When the rollout's ledger checkpoint was last moved forward (Unix time).", ["rollout"]);
  const queueDepth = gauge("greenlight_queue_depth", "Items waiting in a background queue (webhooks: deliveries not yet delivered or failed).", ["queue"]);
  const queueDue = gauge("greenlight_queue_due", "Waiting items whose time has come (the rest wait for a retry's backoff).", ["queue"]);
  const queueAge = gauge("greenlight_queue_oldest_age_seconds", "How long the oldest waiting item has waited (0 when none waits).", ["queue"]);
  const scrapeOk = gauge("greenlight_scrape_database_ok", "1 when the per-rollout series could be read from the database, else 0.", []);

  let rollouts: { id: string; slug: string; archivedAt: Date | null }[];
  try {
    rollouts = await db.rollout.findMany({ where: { isTemplate: false }, select: { id: true, slug: true, archivedAt: true }, orderBy: { slug: "asc" } });
    const slugOf = new Map(rollouts.map((r) => [r.id, r.slug]));
    const ids = [...slugOf.keys()];
    const [itemRows, signOffRows, phaseRows] = await Promise.all([
      db.checklistItem.groupBy({ by: ["rolloutId", "state"], where: { rolloutId: { in: ids } }, _count: { _all: true } }),
      db.signOff.groupBy({ by: ["rolloutId", "status"], where: { rolloutId: { in: ids } }, _count: { _all: true } }),
      db.phase.groupBy({ by: ["rolloutId", "status"], where: { rolloutId: { in: ids } }, _count: { _all: true } }),
    ]);
    // Every state of every rollout is a series, zero included: a dashboard can tell "none" from "not scraped".
    for (const r of rollouts) {
      archived.set({ rollout: r.slug }, r.archivedAt ? 1 : 0);
      for (const state of Object.values(ItemState)) items.set({ rollout: r.slug, state }, 0);
      for (const status of Object.values(SignOffStatus)) signOffs.set({ rollout: r.slug, status }, 0);
      for (const status of Object.values(PhaseStatus)) phases.set({ rollout: r.slug, status }, 0);
    }
    for (const row of itemRows) items.set({ rollout: slugOf.get(row.rolloutId)!, state: row.state }, row._count._all);
    for (const row of signOffRows) signOffs.set({ rollout: slugOf.get(row.rolloutId)!, status: row.status }, row._count._all);
    for (const row of phaseRows) phases.set({ rollout: slugOf.get(row.rolloutId)!, status: row.status }, row._count._all);
    for (const r of rollouts) {
      const { report } = await explainChainSinceCheckpoint(db, r.id);
      verified.set({ rollout: r.slug }, report.ok ? 1 : 0);
      events.set({ rollout: r.slug }, report.count);
    }
    const checkpoints = await db.ledgerCheckpoint.findMany({ where: { rolloutId: { in: ids } }, select: { rolloutId: true, count: true, verifiedAt: true } });
    for (const c of checkpoints) {
      checkpointEvents.set({ rollout: slugOf.get(c.rolloutId)! }, c.count);
      checkpointAt.set({ rollout: slugOf.get(c.rolloutId)! }, Math.floor(c.verifiedAt.getTime() / 1000));
    }
    for (const queue of QUEUES) {
      const stats = await queue.read(db);
      queueDepth.set({ queue: queue.name }, stats.depth);
      queueDue.set({ queue: queue.name }, stats.due);
      queueAge.set({ queue: queue.name }, stats.oldestSeconds);
    }
    scrapeOk.set(1);
  } catch {
    // The database is away: the process's own series still answer, and this says why the rest are missing.
    return scrapeFailed();
  }
  return registry;
}

function scrapeFailed(): Registry {
  const registry = new Registry();
  new Gauge({ name: "greenlight_scrape_database_ok", help: "1 when the per-rollout series could be read from the database, else 0.", registers: [registry] }).set(0);
  return registry;
}
