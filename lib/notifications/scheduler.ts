import type { Db } from "../db/client";
import type { NotificationKind } from "../generated/prisma/enums";
import { createPoller, existingSingleton, processSingleton } from "../server/poller";
import { notify } from "./notify";

// The scheduler: one per instance (started by instrumentation.ts, stopped by the graceful
// shutdown), every instance running the same two steps each poll:
//
// 1. Reminders. An open item with a due date within the next 24 hours (ITEM_DUE_SOON), or
//    past it (ITEM_OVERDUE, for due dates up to REMINDER_OVERDUE_DAYS back), gets a
//    `Reminder` row keyed (item, kind, due date) and, in the same transaction, a
//    notification to its assignee — or, unassigned, to the holders of the role that owns
//    it. Two instances inserting the same key: the second waits on the key until the first
//    commits, then inserts nothing (`ON CONFLICT DO NOTHING`) and tells no one, so each
//    reminder is given once. A new due date is a new key, reminded anew. Keys are taken in
//    one order (due date, item), so two instances wait on each other, never deadlock; a
//    batch (REMINDER_BATCH) keeps each transaction short.
// 2. Daily digests. From DIGEST_HOUR (UTC) on, each person who chose a daily digest and has
//    emails HELD gets one DIGEST email job keyed "<person>:<day>" (unique), and their held
//    rows are FOLDED into it, in one statement: one digest a person a day, whoever makes it.

export type SchedulerSettings = { pollMs: number; digestHour: number; overdueDays: number; batch: number };

function fromEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number from ${min} (got ${JSON.stringify(raw)}).`);
  return value;
}

export function schedulerSettings(): SchedulerSettings {
  return {
    pollMs: fromEnv("REMINDER_POLL_MS", 60_000),
    digestHour: Math.min(23, fromEnv("DIGEST_HOUR", 7, 0)),
    overdueDays: fromEnv("REMINDER_OVERDUE_DAYS", 7),
    batch: fromEnv("REMINDER_BATCH", 25),
  };
}

const DAY_MS = 86_400_000;

type Due = { itemId: string; kind: NotificationKind; dueAt: Date };

export function createScheduler(getDb: () => Db, overrides: Partial<SchedulerSettings> = {}) {
  const settings = { ...schedulerSettings(), ...overrides };

  /** Gives the reminders due at `now` (at most one batch); resolves with how many were given. */
  async function remind(db: Db, now: Date): Promise<number> {
    const at = now.toISOString();
    const soon = new Date(now.getTime() + DAY_MS).toISOString();
    const since = new Date(now.getTime() - settings.overdueDays * DAY_MS).toISOString();
    return db.$transaction(async (tx) => {
      const given = await tx.$queryRaw<Due[]>`
        INSERT INTO "Reminder" ("itemId", "kind", "dueAt", "createdAt")
        SELECT c."id", c."kind"::"NotificationKind", c."dueAt", (now() AT TIME ZONE 'UTC')
        FROM (
          SELECT i."id", i."dueAt",
                 CASE WHEN i."dueAt" <= (${at}::timestamptz AT TIME ZONE 'UTC') THEN 'ITEM_OVERDUE' ELSE 'ITEM_DUE_SOON' END AS "kind"
          FROM "ChecklistItem" i
          JOIN "Rollout" r ON r."id" = i."rolloutId"
          WHERE i."state" = 'OPEN' AND i."dueAt" IS NOT NULL
            AND i."dueAt" <= (${soon}::timestamptz AT TIME ZONE 'UTC')
            AND i."dueAt" > (${since}::timestamptz AT TIME ZONE 'UTC')
            AND r."archivedAt" IS NULL AND r."isTemplate" = false
        ) c
        WHERE NOT EXISTS (SELECT 1 FROM "Reminder" m WHERE m."itemId" = c."id" AND m."kind"::text = c."kind" AND m."dueAt" = c."dueAt")
        ORDER BY c."dueAt", c."id"
        LIMIT ${settings.batch}
        ON CONFLICT DO NOTHING
        RETURNING "itemId", "kind", "dueAt"`;
      if (given.length === 0) return 0;
      const items = await tx.checklistItem.findMany({
        where: { id: { in: given.map((g) => g.itemId) } },
        select: { id: true, rolloutId: true, text: true, assigneeId: true, ownerRole: true, ownerCustomRoleId: true },
      });
      for (const reminder of given) {
        const item = items.find((i) => i.id === reminder.itemId);
        if (!item) continue;
        const roleKey = item.ownerCustomRoleId ?? item.ownerRole;
        const recipients = item.assigneeId
          ? [item.assigneeId]
          : roleKey
            ? (await tx.rolloutMember.findMany({ where: { rolloutId: item.rolloutId, roleKey }, select: { userId: true } })).map((m) => m.userId)
            : [];
        await notify(tx, { rolloutId: item.rolloutId, kind: reminder.kind, actorId: null, recipients, eventSeq: null, targetType: "ChecklistItem", targetId: item.id, subject: item.text, path: "/checklist" });
      }
      return given.length;
    });
  }

  /** Makes today's digests (from the digest hour on); resolves with how many were made. */
  async function digest(db: Db, now: Date): Promise<number> {
    if (now.getUTCHours() < settings.digestHour) return 0;
    const day = now.toISOString().slice(0, 10);
    const made = await db.$queryRaw<{ id: string }[]>`
      WITH due AS (
        SELECT DISTINCT j."recipientId" FROM "EmailJob" j
        JOIN "NotificationSettings" s ON s."userId" = j."recipientId" AND s."dailyDigest"
        WHERE j."status" = 'HELD'
      ), made AS (
        INSERT INTO "EmailJob" ("id", "recipientId", "kind", "status", "digestKey", "nextAttemptAt", "createdAt")
        SELECT 'ej' || replace(gen_random_uuid()::text, '-', ''), d."recipientId", 'DIGEST', 'PENDING', d."recipientId" || ':' || ${day},
               (now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC')
        FROM due d
        ON CONFLICT ("digestKey") DO NOTHING
        RETURNING "id", "recipientId"
      ), folded AS (
        UPDATE "EmailJob" j SET "status" = 'FOLDED', "digestId" = made."id"
        FROM made WHERE j."recipientId" = made."recipientId" AND j."status" = 'HELD'
        RETURNING j."id"
      )
      SELECT "id" FROM made`;
    return made.length;
  }

  /** One round: reminders due now, then digests. */
  async function runOnce(now = new Date()): Promise<{ reminders: number; digests: number }> {
    const db = getDb();
    let reminders = 0;
    for (;;) {
      const n = await remind(db, now);
      reminders += n;
      if (n < settings.batch) break;
    }
    return { reminders, digests: await digest(db, now) };
  }

  const poller = createPoller(async () => {
    await runOnce();
    return 0;
  }, settings.pollMs, "scheduler: a round failed");

  return {
    settings,
    runOnce,
    start: poller.start,
    async stop() {
      await poller.stop();
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;

export function startScheduler(getDb: () => Db): Scheduler {
  const worker = processSingleton("greenlight.scheduler", () => createScheduler(getDb));
  worker.start();
  return worker;
}

export async function stopScheduler(): Promise<void> {
  await existingSingleton<Scheduler>("greenlight.scheduler")?.stop();
}
