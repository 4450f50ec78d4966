import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPlanIntoNewRollout } from "@/lib/import/apply";
import { decodePlanBytes } from "@/lib/import/decode";
import { readPlan } from "@/lib/import/markdown-plan";
import { planToMarkdown, readRolloutAsPlan } from "@/lib/export/markdown";
import { createUser, unique } from "./helpers/factories";
import { createTestDb, type TestDb } from "./helpers/test-db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

const bytes = readFileSync(new URL("../fixtures/plans/english-nested.md", import.meta.url));

describe("importing a plan into a new rollout", () => {
  it("writes the plan, the importer as admin, the role choices and one plan.imported event with the file's SHA-256", async () => {
    const importer = await createUser(t.db);
    const decoded = decodePlanBytes(bytes);
    const plan = readPlan(decoded.text);
    const slug = unique("payments");
    const choices = { roleMap: { "SRE Lead": { custom: "SRE Lead", baseRole: "OPS_MANAGER" as const } } };
    const result = await importPlanIntoNewRollout(t.db, plan, { slug, sha256: decoded.sha256, importerId: importer.id, choices });

    const rolloutId = result.rolloutId;
    const members = await t.db.rolloutMember.findMany({ where: { rolloutId } });
    expect(members.map((m) => [m.userId, m.role])).toEqual([[importer.id, "ADMIN"]]);
    const phases = await t.db.phase.findMany({ where: { rolloutId }, orderBy: { position: "asc" } });
    expect(phases.map((p) => [p.name, p.plannedStart?.toISOString().slice(0, 10), p.plannedEnd?.toISOString().slice(0, 10)])).toEqual([
      ["Preparation", "2026-03-02", "2026-03-13"],
      ["Switch", "2026-03-16", "2026-03-16"],
    ]);
    const items = await t.db.checklistItem.findMany({ where: { rolloutId } });
    expect(items).toHaveLength(10);
    const done = items.filter((i) => i.state === "DONE");
    expect(done.map((i) => i.text).sort()).toEqual(["Freeze the old gateway's configuration", "Open the firewall to the new gateway", "Update the dashboards"]);
    expect(done.every((i) => i.stateChangedById === importer.id && i.stateChangedAt !== null)).toBe(true);

    const sre = await t.db.rolloutRole.findFirstOrThrow({ where: { rolloutId } });
    expect(sre).toMatchObject({ name: "SRE Lead", baseRole: "OPS_MANAGER", slug: "sre-lead" });
    const sreItems = items.filter((i) => i.list === "NEXT_24H");
    expect(sreItems.every((i) => i.ownerCustomRoleId === sre.id && i.ownerRole === "OPS_MANAGER")).toBe(true);
    const contacts = await t.db.contact.findMany({ where: { rolloutId }, orderBy: { position: "asc" } });
    expect(contacts.map((c) => [c.topic, c.role, c.customRoleId === sre.id, c.roleLabel])).toEqual([
      ["Gateway outage", "OPS_MANAGER", true, "SRE Lead"],
      ["Refunds", "FINANCE", false, "Finance"],
    ]);

    const events = await t.db.auditEvent.findMany({ where: { rolloutId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "plan.imported", actorId: importer.id });
    const after = events[0]!.after as { sha256: string; choices: unknown };
    expect(after.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(after.choices).toEqual(choices);
  });

  it("exports the stored rollout as Markdown that imports back to the same items and states", async () => {
    const decoded = decodePlanBytes(bytes);
    const { rolloutId } = await importPlanIntoNewRollout(t.db, readPlan(decoded.text), { slug: unique("rt"), sha256: decoded.sha256, importerId: null, choices: {} });
    await t.db.checklistItem.updateMany({ where: { rolloutId, text: "Route all traffic" }, data: { state: "NOT_APPLICABLE", notApplicableReason: "rolled back" } });
    const markdown = planToMarkdown(await readRolloutAsPlan(t.db, rolloutId));
    expect(markdown).toContain("- [ ] Route all traffic — n/a: rolled back");
    expect(markdown).toContain("## Phase 1: Preparation (2026-03-02 – 2026-03-13)");
    const again = readPlan(markdown);
    expect(again.phases.flatMap((p) => p.items).filter((i) => i.done).map((i) => i.text).sort()).toEqual(["Freeze the old gateway's configuration", "Open the firewall to the new gateway"]);
    expect(again.phases[1]!.items.find((i) => i.text === "Route all traffic")!.notApplicable).toBe("rolled back");
    expect(planToMarkdown(again)).toBe(markdown);
  });

  it("leaves nothing behind when the import fails", async () => {
    const decoded = decodePlanBytes(bytes);
    const plan = readPlan(decoded.text);
    const slug = unique("twice");
    await importPlanIntoNewRollout(t.db, plan, { slug, sha256: decoded.sha256, importerId: null, choices: {} });
    const rolloutsBefore = await t.db.rollout.count();
    const itemsBefore = await t.db.checklistItem.count();
    const rolesBefore = await t.db.rolloutRole.count();
    await expect(importPlanIntoNewRollout(t.db, plan, { slug, sha256: decoded.sha256, importerId: null, choices: {} })).rejects.toThrow();
    expect(await t.db.rollout.count()).toBe(rolloutsBefore);
    expect(await t.db.checklistItem.count()).toBe(itemsBefore);
    expect(await t.db.rolloutRole.count()).toBe(rolesBefore);
  });

  it("imports a generated 5,000-item plan", async () => {
    const lines = ["# Big plan", ""];
    for (let phase = 1; phase <= 50; phase++) {
      lines.push(`## Phase ${phase}: Block ${phase}`, "");
      for (let i = 1; i <= 100; i++) lines.push(`- [${i % 3 === 0 ? "x" : " "}] Task ${phase}.${i}`);
      lines.push("");
    }
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const decoded = decodePlanBytes(Buffer.from(lines.join("\n")));
    const plan = readPlan(decoded.text);
    const { rolloutId } = await importPlanIntoNewRollout(t.db, plan, { slug: unique("big"), sha256: decoded.sha256, importerId: null, choices: {} });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    // Wall time depends on what else the machine runs; this process's CPU time does not.
    console.log(`5,000-item plan: decoded, read and stored in ${seconds.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`);
    expect(await t.db.checklistItem.count({ where: { rolloutId } })).toBe(5000);
    expect(await t.db.checklistItem.count({ where: { rolloutId, state: "DONE" } })).toBe(50 * 33);
    expect(await t.db.phase.count({ where: { rolloutId } })).toBe(50);
  });
});
