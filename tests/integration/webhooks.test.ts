import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit/record";
import { postWebhook, TargetRefused } from "@/lib/webhooks/send";
import { refuseTarget } from "@/lib/webhooks/target";
import { createWebhookWorker } from "@/lib/webhooks/worker";
import { startReceiver } from "../support/webhook-receiver";
import { createRollout, createUser, unique } from "./helpers/factories";
import { createTestDb, type TestDb } from "./helpers/test-db";

// The webhooks' outbox and worker against a local receiver (node's http server). The
// signature is checked with the algorithm the Standard Webhooks specification publishes,
// written out here, not with the code that signs.

let t: TestDb;
const previousAllow = process.env.GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE;
beforeAll(async () => {
  process.env.GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE = "1";
  t = await createTestDb();
});
afterAll(async () => {
  process.env.GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE = previousAllow;
  await t?.close();
});

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async function endpoint(rolloutId: string, url: string, events = ["*"], slack = false) {
  return t.db.webhookEndpoint.create({ data: { rolloutId, url, events, secret: SECRET, slack } });
}

async function event(rolloutId: string, action = "item.state.changed") {
  await t.db.$transaction((tx) => recordAudit(tx, { rolloutId, actorId: null, action, targetType: "ChecklistItem", targetId: "item-1", before: { state: "OPEN" }, after: { state: "DONE" } }));
}

const fast = { backoffBaseMs: 30, backoffMaxMs: 200, pollMs: 10, leaseMs: 60_000 };

async function drain(worker: ReturnType<typeof createWebhookWorker>, rolloutId: string, rounds = 200) {
  for (let i = 0; i < rounds; i++) {
    await worker.runOnce();
    if ((await t.db.webhookDelivery.count({ where: { rolloutId, status: "PENDING" } })) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  throw new Error("deliveries still pending");
}

describe("webhooks", () => {
  it("signs each delivery as Standard Webhooks says, and sends only the event types asked for", async () => {
    const receiver = await startReceiver(3987);
    try {
      const rollout = await createRollout(t.db);
      await endpoint(rollout.id, receiver.url, ["phase.transitioned"]);
      const all = await endpoint(rollout.id, receiver.url, ["*"]);
      await event(rollout.id, "item.state.changed");
      await event(rollout.id, "phase.transitioned");
      await drain(createWebhookWorker(() => t.db, fast), rollout.id);
      expect(receiver.received).toHaveLength(3);
      for (const request of receiver.received) {
        const id = String(request.headers["webhook-id"]);
        const timestamp = String(request.headers["webhook-timestamp"]);
        const key = Buffer.from(SECRET.slice("whsec_".length), "base64");
        const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${request.body}`).digest("base64");
        expect(request.headers["webhook-signature"]).toBe(`v1,${expected}`);
        expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(300);
        expect(request.headers["content-type"]).toBe("application/json");
        const body = JSON.parse(request.body);
        expect(body.data.rolloutId).toBe(rollout.id);
        expect(body.data.after).toEqual({ state: "DONE" });
      }
      const types = receiver.received.map((r) => JSON.parse(r.body).type).sort();
      expect(types).toEqual(["item.state.changed", "phase.transitioned", "phase.transitioned"]);
      // A tampered body does not verify.
      const first = receiver.received[0];
      const forged = createHmac("sha256", Buffer.from(SECRET.slice(6), "base64")).update(`${first.headers["webhook-id"]}.${first.headers["webhook-timestamp"]}.${first.body} `).digest("base64");
      expect(first.headers["webhook-signature"]).not.toBe(`v1,${forged}`);
      const delivered = await t.db.webhookDelivery.findMany({ where: { endpointId: all.id } });
      expect(delivered.map((d) => [d.status, d.lastStatusCode, d.attempts])).toEqual([["DELIVERED", 200, 1], ["DELIVERED", 200, 1]]);
    } finally {
      await receiver.close();
    }
  });

  it("a Slack-compatible endpoint gets a message with text", async () => {
    const receiver = await startReceiver(3988);
    try {
      const rollout = await createRollout(t.db);
      await endpoint(rollout.id, receiver.url, ["*"], true);
      await event(rollout.id);
      await drain(createWebhookWorker(() => t.db, fast), rollout.id);
      expect(receiver.received).toHaveLength(1);
      const body = JSON.parse(receiver.received[0].body);
      expect(Object.keys(body)).toEqual(["text"]);
      expect(body.text).toContain("item.state.changed");
    } finally {
      await receiver.close();
    }
  });

  it("a receiver answering 500 three times gets the delivery on the fourth try, with the same id", async () => {
    const receiver = await startReceiver(3989, (count) => (count <= 3 ? 500 : 200));
    try {
      const rollout = await createRollout(t.db);
      await endpoint(rollout.id, receiver.url);
      await event(rollout.id);
      await drain(createWebhookWorker(() => t.db, fast), rollout.id);
      expect(receiver.received).toHaveLength(4);
      expect(new Set(receiver.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
      const [delivery] = await t.db.webhookDelivery.findMany({ where: { rolloutId: rollout.id } });
      expect([delivery.status, delivery.attempts, delivery.lastStatusCode]).toEqual(["DELIVERED", 4, 200]);
    } finally {
      await receiver.close();
    }
  });

  it("after the retry window the delivery fails and the endpoint is disabled, with a ledger event", async () => {
    const receiver = await startReceiver(3987, () => 503);
    try {
      const rollout = await createRollout(t.db);
      const hook = await endpoint(rollout.id, receiver.url);
      await event(rollout.id);
      await drain(createWebhookWorker(() => t.db, { ...fast, windowMs: 100 }), rollout.id);
      const [delivery] = await t.db.webhookDelivery.findMany({ where: { rolloutId: rollout.id } });
      expect([delivery.status, delivery.lastStatusCode]).toEqual(["FAILED", 503]);
      expect((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: hook.id } })).disabledAt).not.toBeNull();
      expect(await t.db.auditEvent.count({ where: { rolloutId: rollout.id, action: "webhook.disabled", targetId: hook.id } })).toBe(1);
      // A disabled endpoint gets no new deliveries.
      await event(rollout.id);
      expect(await t.db.webhookDelivery.count({ where: { endpointId: hook.id } })).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it("tells exactly the rollout's active admins when an endpoint is disabled, linking to its settings", async () => {
    const receiver = await startReceiver(3988, () => 500);
    try {
      const rollout = await createRollout(t.db);
      const other = await createRollout(t.db);
      // Told: an admin, and the holder of a custom role based on the admin role.
      const admin = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN", "DEVOPS"] });
      const customAdmin = await createUser(t.db);
      const role = await t.db.rolloutRole.create({ data: { rolloutId: rollout.id, slug: unique("platform-admin"), name: unique("Platform admin"), baseRole: "ADMIN", position: 1 } });
      await t.db.rolloutMember.create({ data: { rolloutId: rollout.id, userId: customAdmin.id, role: "ADMIN", customRoleId: role.id } });
      // Not told: another role of the rollout, a deactivated admin, the admin of another rollout.
      const devops = await createUser(t.db, { rolloutId: rollout.id, roles: ["DEVOPS", "DEV_LEAD"] });
      const inactive = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN"], active: false });
      const elsewhere = await createUser(t.db, { rolloutId: other.id, roles: ["ADMIN"] });
      const hook = await endpoint(rollout.id, receiver.url);
      await event(rollout.id);
      await drain(createWebhookWorker(() => t.db, { ...fast, windowMs: 100 }), rollout.id);
      expect((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: hook.id } })).disabledAt).not.toBeNull();
      const told = await t.db.notification.findMany({ where: { recipientId: { in: [admin.id, customAdmin.id, devops.id, inactive.id, elsewhere.id] } } });
      expect(told.map((n) => n.recipientId).sort()).toEqual([admin.id, customAdmin.id].sort());
      const disabledEvent = await t.db.auditEvent.findFirstOrThrow({ where: { rolloutId: rollout.id, action: "webhook.disabled" } });
      for (const n of told) {
        expect(n).toMatchObject({ kind: "WEBHOOK_DISABLED", rolloutId: rollout.id, targetType: "WebhookEndpoint", targetId: hook.id, link: `/r/${rollout.slug}/settings`, eventSeq: disabledEvent.seq, readAt: null });
      }
      // Another failing delivery of the disabled endpoint tells no one again.
      await t.db.webhookDelivery.create({ data: { endpointId: hook.id, rolloutId: rollout.id, eventSeq: disabledEvent.seq, action: "webhook.disabled", payload: {} } });
      await drain(createWebhookWorker(() => t.db, { ...fast, windowMs: 100 }), rollout.id);
      expect(await t.db.notification.count({ where: { rolloutId: rollout.id } })).toBe(2);
    } finally {
      await receiver.close();
    }
  });

  it("never sends the event of a rolled-back transaction", async () => {
    const receiver = await startReceiver(3988);
    try {
      const rollout = await createRollout(t.db);
      await endpoint(rollout.id, receiver.url);
      await expect(
        t.db.$transaction(async (tx) => {
          await recordAudit(tx, { rolloutId: rollout.id, actorId: null, action: "item.state.changed", targetType: "ChecklistItem", targetId: "x" });
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      await createWebhookWorker(() => t.db, fast).runOnce();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await t.db.webhookDelivery.count({ where: { rolloutId: rollout.id } })).toBe(0);
      expect(await t.db.auditEvent.count({ where: { rolloutId: rollout.id } })).toBe(0);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });

  it("two worker processes on one Postgres server: 200 events give exactly 200 deliveries", async () => {
    expect(t.url, "this test needs DATABASE_URL (a Postgres server)").not.toBeNull();
    const receiver = await startReceiver(3989);
    try {
      const rollout = await createRollout(t.db);
      await endpoint(rollout.id, receiver.url);
      for (let i = 0; i < 200; i++) await event(rollout.id);
      const run = () =>
        promisify(execFile)("npx", ["tsx", "tests/integration/helpers/webhook-worker-process.ts", t.url as string], {
          env: { ...process.env, GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE: "1" },
          timeout: 120_000,
        });
      const [a, b] = await Promise.all([run(), run()]);
      const attempts = [Number(a.stdout.trim()), Number(b.stdout.trim())];
      expect(attempts[0] + attempts[1]).toBe(200);
      expect(receiver.received).toHaveLength(200);
      expect(new Set(receiver.received.map((r) => r.headers["webhook-id"])).size).toBe(200);
      expect(new Set(receiver.received.map((r) => JSON.parse(r.body).data.seq)).size).toBe(200);
      expect(await t.db.webhookDelivery.count({ where: { rolloutId: rollout.id, status: "DELIVERED", attempts: 1 } })).toBe(200);
      process.stdout.write(`webhooks: worker processes attempted ${attempts.join(" + ")} deliveries\n`);
    } finally {
      await receiver.close();
    }
  }, 180_000);
});

describe("webhook targets", () => {
  it("refuses private, loopback and link-local addresses, by name too, unless allowed", async () => {
    const allow = process.env.GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE;
    delete process.env.GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE;
    try {
      for (const url of ["http://127.0.0.1/x", "http://10.1.2.3/", "http://192.168.0.9/", "http://172.20.0.1/", "http://169.254.169.254/latest", "http://[::1]/", "http://[fd00::1]/", "http://[::ffff:127.0.0.1]/", "http://localhost:3000/", "http://0.0.0.0/"]) {
        expect(await refuseTarget(url), url).toBe("private");
      }
      expect(await refuseTarget("ftp://example.com/")).toBe("scheme");
      expect(await refuseTarget("https://user:pw@example.com/")).toBe("scheme");
      expect(await refuseTarget("https://93.184.215.14/hook")).toBeNull();
      expect(await refuseTarget("https://[2606:4700::1111]/hook")).toBeNull();
    } finally {
      process.env.GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE = allow;
    }
    expect(await refuseTarget("http://127.0.0.1/x")).toBeNull();
  });

  it("checks the address the connection itself resolves (a name pointing at loopback gets nothing)", async () => {
    const receiver = await startReceiver(3987);
    const allow = process.env.GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE;
    try {
      delete process.env.GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE;
      const byName = receiver.url.replace("127.0.0.1", "localhost");
      await expect(postWebhook(byName, { "content-type": "application/json" }, "{}", 5000)).rejects.toBeInstanceOf(TargetRefused);
      expect(receiver.received).toHaveLength(0);
      process.env.GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE = "1";
      expect(await postWebhook(byName, { "content-type": "application/json" }, "{}", 5000)).toBe(200);
      expect(receiver.received).toHaveLength(1);
    } finally {
      process.env.GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE = allow;
      await receiver.close();
    }
  });
});
