import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ALL_ROLES } from "@/lib/domain/roles";
import type { Role } from "@/lib/generated/prisma/enums";
import { makeCaller, signInAs } from "./helpers/callers";
import { createRollout, createUser } from "./helpers/factories";
import { sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// Who may add, disable, delete and enable a rollout's webhooks and send a delivery again: its
// admins, and nobody else (written from docs/security.md: webhooks are rollout
// administration, like service accounts). A refusal changes nothing and writes no event.

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

type Caller = Role | "outsider" | "signed out";
const MAY_MANAGE_WEBHOOKS: Record<Caller, boolean> = {
  EXECUTIVE: false,
  DEV_LEAD: false,
  OPS_MANAGER: false,
  DEVOPS: false,
  DBA: false,
  DATA_ENGINEER: false,
  SECURITY_OFFICER: false,
  FINANCE: false,
  ADMIN: true,
  VIEWER: false,
  outsider: false,
  "signed out": false,
};

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.append(key, value);
  return data;
}

/** Everything the webhook actions could change: the endpoints, the outbox and the ledger. */
async function state() {
  return JSON.stringify([
    await t.db.webhookEndpoint.findMany({ orderBy: { id: "asc" } }),
    await t.db.webhookDelivery.findMany({ orderBy: { id: "asc" } }),
    await t.db.auditEvent.count(),
  ]);
}

async function fixture() {
  const rollout = await createRollout(t.db);
  const endpoint = await t.db.webhookEndpoint.create({ data: { rolloutId: rollout.id, url: "http://127.0.0.1:3987/hook", events: ["*"], secret: "whsec_AAAA", disabledAt: new Date() } });
  const live = await t.db.webhookEndpoint.create({ data: { rolloutId: rollout.id, url: "http://127.0.0.1:3988/hook", events: ["*"], secret: "whsec_BBBB" } });
  const delivery = await t.db.webhookDelivery.create({ data: { endpointId: live.id, rolloutId: rollout.id, eventSeq: 1, action: "item.state.changed", payload: {}, status: "FAILED", attempts: 9 } });
  return { rollout, endpoint, live, delivery };
}

describe("the webhook actions", () => {
  it("are allowed to the rollout's admins only; each refusal changes nothing", async () => {
    const actions = await import("@/lib/actions/webhooks");
    let refusals = 0;
    for (const caller of [...ALL_ROLES, "outsider", "signed out"] as Caller[]) {
      const { rollout, endpoint, live, delivery } = await fixture();
      await signInAs(t.db, await makeCaller(t.db, caller, rollout.id));
      const calls = {
        create: () => actions.createWebhookAction(undefined, form({ rolloutId: rollout.id, url: "http://127.0.0.1:3989/new", allEvents: "on" })),
        enable: () => actions.enableWebhookAction(undefined, form({ rolloutId: rollout.id, webhookId: endpoint.id })),
        resend: () => actions.resendDeliveryAction(undefined, form({ rolloutId: rollout.id, deliveryId: delivery.id })),
        disable: () => actions.disableWebhookAction(undefined, form({ rolloutId: rollout.id, webhookId: live.id })),
        delete: () => actions.deleteWebhookAction(undefined, form({ rolloutId: rollout.id, webhookId: live.id })),
      };
      for (const [name, call] of Object.entries(calls)) {
        const before = await state();
        const result = await call();
        if (MAY_MANAGE_WEBHOOKS[caller]) {
          expect(result, `${caller} ${name}`).toMatchObject({ ok: true });
        } else {
          expect(result, `${caller} ${name}`).toMatchObject({ ok: false });
          expect((result as { code?: string }).code, `${caller} ${name}`).toMatch(/^(FORBIDDEN|NOT_FOUND|UNAUTHENTICATED)$/);
          expect(await state(), `${caller} ${name}`).toBe(before);
          refusals++;
        }
      }
      if (MAY_MANAGE_WEBHOOKS[caller]) {
        // Each allowed call had its effect, and its ledger event.
        const endpoints = await t.db.webhookEndpoint.findMany({ where: { rolloutId: rollout.id } });
        expect(endpoints.map((e) => [e.url, e.disabledAt]).sort()).toEqual([["http://127.0.0.1:3987/hook", null], ["http://127.0.0.1:3989/new", null]]);
        expect(await t.db.webhookDelivery.count({ where: { id: delivery.id } })).toBe(0); // deleted with its endpoint
        const actionsRecorded = (await t.db.auditEvent.findMany({ where: { rolloutId: rollout.id }, orderBy: { seq: "asc" } })).map((e) => e.action);
        expect(actionsRecorded).toEqual(["webhook.created", "webhook.enabled", "webhook.delivery.resent", "webhook.disabled", "webhook.deleted"]);
      }
    }
    expect(refusals).toBe(55);
  });

  it("send again queues the delivery anew; the secret is shown once and never listed", async () => {
    const actions = await import("@/lib/actions/webhooks");
    const { listWebhooks } = await import("@/lib/dal/webhooks");
    const { rollout, delivery } = await fixture();
    const admin = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN"] });
    setRequest({ cookie: await sessionCookie(admin) });
    const made = await actions.createWebhookAction(undefined, form({ rolloutId: rollout.id, url: "https://hooks.example.com/services/T0/B0/x", events: "item.*, phase.transitioned", slack: "on" }));
    expect(made).toMatchObject({ ok: true, message: "Webhook created. Copy its signing secret now: it will not be shown again." });
    const secret = (made as { data: { secret: string } }).data.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const listed = await listWebhooks({ id: admin.id, email: admin.email, name: admin.name, locale: admin.locale }, rollout.id);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const created = listed.find((e) => e.url.includes("hooks.example.com"));
    expect([created?.events, created?.slack]).toEqual([["item.*", "phase.transitioned"], true]);
    // The ledger keeps the origin, not the URL's path (a chat tool's URL is a secret).
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { rolloutId: rollout.id, action: "webhook.created" } });
    expect(JSON.stringify(event.after)).not.toContain("/services/");
    expect(await actions.resendDeliveryAction(undefined, form({ rolloutId: rollout.id, deliveryId: delivery.id }))).toMatchObject({ ok: true });
    expect(await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "PENDING" });
    // A family pattern matches its events only.
    await t.db.$transaction(async (tx) => {
      const { recordAudit } = await import("@/lib/audit/record");
      await recordAudit(tx, { rolloutId: rollout.id, actorId: null, action: "item.evidence", targetType: "ChecklistItem", targetId: "i" });
      await recordAudit(tx, { rolloutId: rollout.id, actorId: null, action: "itemx.other", targetType: "ChecklistItem", targetId: "i" });
    });
    expect((await t.db.webhookDelivery.findMany({ where: { endpointId: created?.id } })).map((d) => d.action)).toEqual(["item.evidence"]);
  });

  it("refuses private targets, bad input and archived rollouts with a specific message, changing nothing", async () => {
    const actions = await import("@/lib/actions/webhooks");
    const { rollout, endpoint } = await fixture();
    const admin = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN"] });
    setRequest({ cookie: await sessionCookie(admin) });
    const before = await state();
    delete process.env.GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE;
    try {
      expect(await actions.createWebhookAction(undefined, form({ rolloutId: rollout.id, url: "http://169.254.169.254/latest", allEvents: "on" }))).toMatchObject({
        ok: false,
        message: "This address is private, loopback or link-local: webhooks go only to public addresses.",
      });
      expect(await actions.createWebhookAction(undefined, form({ rolloutId: rollout.id, url: "http://localhost:8080/", allEvents: "on" }))).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    } finally {
      process.env.GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE = "1";
    }
    expect(await actions.createWebhookAction(undefined, form({ rolloutId: rollout.id, url: "ftp://example.com/", allEvents: "on" }))).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    expect(await actions.createWebhookAction(undefined, form({ rolloutId: rollout.id, url: "https://example.com/\u0000", allEvents: "on" }))).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    expect(await actions.createWebhookAction(undefined, form({ rolloutId: rollout.id, url: "https://example.com/" }))).toMatchObject({
      ok: false,
      message: "Choose every event, or list event types such as item.state.changed or phase.* (at most 30).",
    });
    expect(await actions.createWebhookAction(undefined, form({ rolloutId: rollout.id, url: "https://example.com/", events: "Item State; drop" }))).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    expect(await state()).toBe(before);
    await t.db.rollout.update({ where: { id: rollout.id }, data: { archivedAt: new Date() } });
    const archived = await state();
    expect(await actions.enableWebhookAction(undefined, form({ rolloutId: rollout.id, webhookId: endpoint.id }))).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(await state()).toBe(archived);
  });

  it("an archived rollout's admins still see, disable and delete its webhooks, but cannot add, enable or send again", async () => {
    const actions = await import("@/lib/actions/webhooks");
    const { listWebhooks } = await import("@/lib/dal/webhooks");
    const { rollout, endpoint, live, delivery } = await fixture();
    const admin = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN"] });
    const viewer = await createUser(t.db, { rolloutId: rollout.id, roles: ["VIEWER", "DEVOPS"] });
    await t.db.rollout.update({ where: { id: rollout.id }, data: { archivedAt: new Date() } });
    const asAdmin = { id: admin.id, email: admin.email, name: admin.name, locale: admin.locale };
    // Seeing them: the admins (both endpoints, with the delivery log); nobody else.
    const listed = await listWebhooks(asAdmin, rollout.id);
    expect(listed.map((e) => e.id).sort()).toEqual([endpoint.id, live.id].sort());
    expect(listed.find((e) => e.id === live.id)?.deliveries.map((d) => d.id)).toEqual([delivery.id]);
    await expect(listWebhooks({ id: viewer.id, email: viewer.email, name: viewer.name, locale: viewer.locale }, rollout.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    setRequest({ cookie: await sessionCookie(admin) });
    // Adding, enabling and sending again are refused with the archived rollout's reason, changing nothing.
    const before = await state();
    for (const refused of [
      () => actions.createWebhookAction(undefined, form({ rolloutId: rollout.id, url: "http://127.0.0.1:3989/new", allEvents: "on" })),
      () => actions.enableWebhookAction(undefined, form({ rolloutId: rollout.id, webhookId: endpoint.id })),
      () => actions.resendDeliveryAction(undefined, form({ rolloutId: rollout.id, deliveryId: delivery.id })),
    ]) {
      expect(await refused()).toMatchObject({ ok: false, code: "CONFLICT", message: expect.stringContaining("archived") });
      expect(await state()).toBe(before);
    }
    // Taking access away is allowed: disable the live one, delete the other.
    expect(await actions.disableWebhookAction(undefined, form({ rolloutId: rollout.id, webhookId: live.id }))).toMatchObject({
      ok: true,
      message: "Webhook disabled. Nothing is sent to it until it is enabled again.",
    });
    expect((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: live.id } })).disabledAt).not.toBeNull();
    expect(await actions.disableWebhookAction(undefined, form({ rolloutId: rollout.id, webhookId: live.id }))).toMatchObject({ ok: false, code: "CONFLICT", message: "This webhook is already disabled." });
    expect(await actions.deleteWebhookAction(undefined, form({ rolloutId: rollout.id, webhookId: endpoint.id }))).toMatchObject({ ok: true });
    expect(await t.db.webhookEndpoint.count({ where: { id: endpoint.id } })).toBe(0);
    const recorded = (await t.db.auditEvent.findMany({ where: { rolloutId: rollout.id }, orderBy: { seq: "asc" } })).map((e) => [e.action, e.actorId]);
    expect(recorded).toEqual([["webhook.disabled", admin.id], ["webhook.deleted", admin.id]]);
    // Anyone else is still refused on the archived rollout.
    setRequest({ cookie: await sessionCookie(viewer) });
    const after = await state();
    expect(await actions.deleteWebhookAction(undefined, form({ rolloutId: rollout.id, webhookId: live.id }))).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await state()).toBe(after);
  });
});
