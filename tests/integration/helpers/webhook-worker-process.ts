// A webhook worker in a process of its own (run with tsx by webhooks.test.ts): the
// process's own pool on the database in argv[2]; it works until no delivery is pending,
// then prints how many rows it attempted and exits.
import { PrismaPg } from "@prisma/adapter-pg";
import { prismaClientFor } from "../../../lib/db/client";
import { createWebhookWorker } from "../../../lib/webhooks/worker";

async function main() {
  const db = prismaClientFor(new PrismaPg({ connectionString: process.argv[2], max: 4 }));
  const worker = createWebhookWorker(() => db, { batch: 5, backoffBaseMs: 50, pollMs: 20 });
  let attempted = 0;
  for (;;) {
    const n = await worker.runOnce();
    attempted += n;
    if (n === 0 && (await db.webhookDelivery.count({ where: { status: "PENDING" } })) === 0) break;
    if (n === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  process.stdout.write(`${attempted}\n`);
  await db.$disconnect();
}

void main();
