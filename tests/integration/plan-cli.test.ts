import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/plans/${name}`, import.meta.url));

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "lib/cli/plan.ts", ...args], { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: "" } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("npm run plan:import", () => {
  it("--dry-run --json prints what would be created, in the issue's shape, and writes nothing", () => {
    const run = cli("import", fixture("english-nested.md"), "--dry-run", "--json");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual(["title", "encoding", "phases", "immediate", "criteria", "roleActions", "reading", "contacts", "signOffs", "warnings"]);
    expect(report.title).toBe("Payments API cut-over");
    expect(report.encoding).toEqual({ detected: "utf-8", repairedLines: [], unsureLines: [] });
    expect(report.phases[1]).toEqual({
      name: "Switch",
      optional: false,
      items: [
        { text: "Route 10% of traffic", done: false, optional: false },
        { text: "Route all traffic", done: false, optional: false },
      ],
    });
    expect(report.roleActions).toEqual([{ role: "SRE Lead", items: [{ text: "Page the on-call rota", done: false, optional: false }, { text: "Update the dashboards", done: true, optional: false }] }]);
    expect(report.warnings).toEqual([{ line: 18, message: expect.stringContaining("plain bullet") }]);
  }, 120_000);

  it("exits 1 with the reason on stderr for a plan with no task list, and 2 on bad usage", () => {
    const refused = cli("import", fixture("no-tasks.md"), "--dry-run");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("no task list");
    expect(refused.stdout).toBe("");
    const usage = cli("import");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("usage:");
    expect(cli("import", fixture("no-tasks.md"), "--bogus").code).toBe(2);
  }, 180_000);
});
