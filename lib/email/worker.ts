import nodemailer, { type Transporter } from "nodemailer";
import type { Db } from "../db/client";
import { logger } from "../observe/log";
import { createPoller, existingSingleton, processSingleton } from "../server/poller";
import { emailFrom, smtpSettings, type SmtpSettings } from "./config";
import { renderDigestEmail, renderNotificationEmail, type RenderedEmail } from "./render";

// The email worker: one per instance (started by instrumentation.ts when SMTP is set, stopped
// by the graceful shutdown), the same shape as the webhook worker. Every poll it claims the
// due PENDING rows of the email outbox in one statement (`FOR UPDATE SKIP LOCKED`, pushing
// their next attempt one lease ahead), so two instances never take the same row; it renders
// each in the recipient's language and sends it over SMTP. A failure is tried again after an
// exponential backoff, up to EMAIL_MAX_ATTEMPTS; then the row is FAILED. An instance that
// dies after sending but before recording it sends the row again once the lease is over
// (at least once; the Message-ID is the row's, so a mail client can tell a repeat).

export type EmailWorkerSettings = { pollMs: number; backoffBaseMs: number; backoffMaxMs: number; maxAttempts: number; leaseMs: number; batch: number };

function fromEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number (got ${JSON.stringify(raw)}).`);
  return value;
}

export function emailWorkerSettings(): EmailWorkerSettings {
  return {
    pollMs: fromEnv("EMAIL_POLL_MS", 2000),
    backoffBaseMs: fromEnv("EMAIL_BACKOFF_BASE_MS", 30_000),
    backoffMaxMs: fromEnv("EMAIL_BACKOFF_MAX_MS", 3_600_000),
    maxAttempts: fromEnv("EMAIL_MAX_ATTEMPTS", 8),
    leaseMs: fromEnv("EMAIL_LEASE_MS", 60_000),
    batch: fromEnv("EMAIL_BATCH", 20),
  };
}

type Claimed = { id: string; recipientId: string; kind: string; rolloutId: string | null; subject: string | null; link: string | null; attempts: number };

export function createTransport(settings: SmtpSettings): Transporter {
  return "url" in settings ? nodemailer.createTransport(settings.url) : nodemailer.createTransport(settings);
}

export function createEmailWorker(getDb: () => Db, overrides: Partial<EmailWorkerSettings> & { transport?: Transporter } = {}) {
  const { transport: given, ...rest } = overrides;
  const settings = { ...emailWorkerSettings(), ...rest };
  let transport = given;

  function mailer(): Transporter {
    if (!transport) {
      const smtp = smtpSettings();
      if (!smtp) throw new Error("email: no SMTP settings (SMTP_URL or SMTP_HOST)");
      transport = createTransport(smtp);
    }
    return transport;
  }

  async function claim(db: Db): Promise<Claimed[]> {
    return db.$queryRaw<Claimed[]>`
      UPDATE "EmailJob" j
      SET "nextAttemptAt" = (now() AT TIME ZONE 'UTC') + ${settings.leaseMs} * interval '1 millisecond',
          "attempts" = j."attempts" + 1
      WHERE j."id" IN (
        SELECT "id" FROM "EmailJob"
        WHERE "status" = 'PENDING' AND "nextAttemptAt" <= (now() AT TIME ZONE 'UTC')
        ORDER BY "nextAttemptAt"
        LIMIT ${settings.batch}
        FOR UPDATE SKIP LOCKED)
      RETURNING j."id", j."recipientId", j."kind", j."rolloutId", j."subject", j."link", j."attempts"`;
  }

  async function render(db: Db, row: Claimed, recipient: { name: string; locale: string | null }): Promise<RenderedEmail> {
    if (row.kind !== "DIGEST") {
      const rollout = row.rolloutId ? await db.rollout.findUnique({ where: { id: row.rolloutId }, select: { name: true } }) : null;
      return renderNotificationEmail(recipient.locale, recipient.name, { kind: row.kind, subject: row.subject, link: row.link, rolloutName: rollout?.name ?? null });
    }
    const [folded, unread] = await Promise.all([
      db.emailJob.findMany({ where: { digestId: row.id }, orderBy: { createdAt: "asc" }, select: { kind: true, subject: true, link: true, rolloutId: true } }),
      db.notification.count({ where: { recipientId: row.recipientId, readAt: null } }),
    ]);
    const ids = [...new Set(folded.map((f) => f.rolloutId).filter((id): id is string => Boolean(id)))];
    const rollouts = ids.length ? await db.rollout.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
    const entries = folded.map((f) => ({ kind: f.kind, subject: f.subject, link: f.link, rolloutName: rollouts.find((r) => r.id === f.rolloutId)?.name ?? null }));
    return renderDigestEmail(recipient.locale, recipient.name, entries, unread);
  }

  async function send(db: Db, row: Claimed): Promise<void> {
    const recipient = await db.user.findUnique({ where: { id: row.recipientId }, select: { email: true, name: true, locale: true, active: true } });
    if (!recipient || !recipient.active) {
      await db.emailJob.update({ where: { id: row.id }, data: { status: "FAILED", lastError: "recipient inactive" } });
      return;
    }
    try {
      const email = await render(db, row, recipient);
      await mailer().sendMail({ from: emailFrom(), to: { name: recipient.name, address: recipient.email }, messageId: `<${row.id}@greenlight>`, headers: { "X-Greenlight-Kind": row.kind }, ...email });
    } catch (cause) {
      const error = cause instanceof Error ? cause.message.slice(0, 200) : "failed";
      const done = row.attempts >= settings.maxAttempts;
      const wait = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.max(0, row.attempts - 1));
      await db.emailJob.update({ where: { id: row.id }, data: done ? { status: "FAILED", lastError: error } : { nextAttemptAt: new Date(Date.now() + wait), lastError: error } });
      if (done) logger().warn({ emailJobId: row.id }, "email: gave up after its last attempt");
      return;
    }
    await db.emailJob.update({ where: { id: row.id }, data: { status: "SENT", sentAt: new Date(), lastError: null } });
  }

  /** Claims and sends what is due now; resolves with the number of rows attempted. */
  async function runOnce(): Promise<number> {
    const db = getDb();
    const rows = await claim(db);
    await Promise.all(rows.map((row) => send(db, row).catch((error: unknown) => logger().error({ err: error, emailJobId: row.id }, "email: recording a send failed"))));
    return rows.length;
  }

  const poller = createPoller(runOnce, settings.pollMs, "email: claiming jobs failed");

  return {
    settings,
    runOnce,
    start: poller.start,
    /** Stops polling and waits for the sends in progress. */
    async stop() {
      await poller.stop();
      transport?.close();
    },
  };
}

export type EmailWorker = ReturnType<typeof createEmailWorker>;

/** The process's email worker (started once). */
export function startEmailWorker(getDb: () => Db): EmailWorker {
  const worker = processSingleton("greenlight.email-worker", () => createEmailWorker(getDb));
  worker.start();
  return worker;
}

export async function stopEmailWorker(): Promise<void> {
  await existingSingleton<EmailWorker>("greenlight.email-worker")?.stop();
}
