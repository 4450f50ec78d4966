// A scheduler and an email worker in a process of their own (run with tsx by
// notification-email.test.ts), like one instance of the portal: the process's own pool on
// the database in argv[2], the clock at argv[3] (ISO), SMTP from SMTP_URL. It runs rounds
// until no reminder is left to give and no email is pending, then prints
// "<reminders given> <emails attempted>" and exits.
import { PrismaPg } from "@prisma/adapter-pg";
import { prismaClientFor } from "../../../lib/db/client";
import { createEmailWorker } from "../../../lib/email/worker";
import { createScheduler } from "../../../lib/notifications/scheduler";

async function main() {
  const db = prismaClientFor(new PrismaPg({ connectionString: process.argv[2], max: 4 }));
  const now = new Date(process.argv[3]);
  // Small batches, so the two processes interleave over many rounds.
  const scheduler = createScheduler(() => db, { batch: 3 });
  const worker = createEmailWorker(() => db, { batch: 2, backoffBaseMs: 50 });
  let reminders = 0;
  let attempted = 0;
  for (;;) {
    const { reminders: given } = await scheduler.runOnce(now);
    reminders += given;
    const sent = await worker.runOnce();
    attempted += sent;
    if (given === 0 && sent === 0 && (await db.emailJob.count({ where: { status: "PENDING" } })) === 0) break;
  }
  process.stdout.write(`${reminders} ${attempted}\n`);
  await worker.stop();
  await db.$disconnect();
}

void main();
