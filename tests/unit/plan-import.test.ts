import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodePlanBytes, DecodeError } from "@/lib/import/decode";
import { PlanImportError, readMarkdownPlan, readPlan, type ImportedPlan } from "@/lib/import/markdown-plan";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/plans/${name}`, import.meta.url));

/** Every item of the plan, wherever it went, as "[x] text" / "[ ] text". */
function allTasks(plan: ImportedPlan): string[] {
  return [
    ...plan.immediate,
    ...plan.phases.flatMap((p) => p.items),
    ...plan.roleActions.flatMap((r) => r.items),
    ...plan.criteria.flatMap((c) => c.items),
    ...plan.signOffs.map((s) => ({ text: s.title, done: s.done })),
  ].map((i) => `[${i.done ? "x" : " "}] ${i.text}`);
}

describe("an English plan with nested tasks, code, an HTML comment, a quote and a contacts table", () => {
  const plan = readPlan(decodePlanBytes(fixture("english-nested.md")).text);

  it("has every task-list line exactly once with its ticked state, and none from code, comment or quote", () => {
    expect(allTasks(plan).sort()).toEqual(
      [
        "[x] Freeze the old gateway's configuration",
        "[ ] Provision the new gateway",
        "[ ] Request API keys",
        "[x] Open the firewall to the new gateway",
        "[ ] Confirm the rule with the network team",
        "[ ] Load-test the new gateway (optional)",
        "[ ] Route 10% of traffic",
        "[ ] Route all traffic",
        "[ ] Page the on-call rota",
        "[x] Update the dashboards",
      ].sort(),
    );
    const texts = allTasks(plan).join("\n");
    for (const never of ["rm -rf", "systemctl", "commented out", "quoted task"]) expect(texts).not.toContain(never);
  });

  it("reads headings as phases with their dates, nesting, optional items, role actions and contacts", () => {
    expect(plan.title).toBe("Payments API cut-over");
    expect(plan.anchorDate).toBe("2026-03-02");
    expect(plan.phases.map((p) => [p.name, p.startOffset, p.endOffset, p.items.length])).toEqual([
      ["Preparation", 0, 11, 6],
      ["Switch", 14, 14, 2],
    ]);
    expect(plan.phases[0]!.goal).toBe("everything ready for the switch");
    expect(plan.phases[0]!.items.map((i) => i.depth)).toEqual([0, 0, 1, 1, 2, 0]);
    expect(plan.phases[0]!.items.filter((i) => i.optional).map((i) => i.text)).toEqual(["Load-test the new gateway (optional)"]);
    expect(plan.roleActions).toMatchObject([{ role: "SRE Lead", items: [{ text: "Page the on-call rota" }, { text: "Update the dashboards" }] }]);
    expect(plan.contacts.map((c) => [c.topic, c.role])).toEqual([
      ["Gateway outage", "SRE Lead"],
      ["Refunds", "Finance"],
    ]);
    expect(plan.roles).toEqual([
      { label: "SRE Lead", suggested: null },
      { label: "Finance", suggested: "FINANCE" },
    ]);
  });

  it("warns, with its line number, about the plain bullet inside a phase", () => {
    expect(plan.warnings).toEqual([{ line: 18, message: expect.stringContaining("remember the coffee"), code: "plainBullet", text: expect.stringContaining("remember the coffee") }]);
  });

  it("lets the person read a section differently", () => {
    const actions = plan.sections.find((s) => s.heading === "Actions for SRE Lead")!;
    expect(actions.suggested).toBe("roleActions");
    const asPhase = readMarkdownPlan(fixture("english-nested.md").toString("utf8"), { readAs: { [actions.id]: "phase" } });
    expect(asPhase.roleActions).toEqual([]);
    expect(asPhase.phases.map((p) => p.name)).toEqual(["Preparation", "Switch", "Actions for SRE Lead"]);
    const ignored = readMarkdownPlan(fixture("english-nested.md").toString("utf8"), { readAs: { [actions.id]: "ignore" } });
    expect(allTasks(ignored)).not.toContain("[ ] Page the on-call rota");
  });
});

describe("a Portuguese plan saved four ways", () => {
  const text = fixture("portuguese.md").toString("utf8");
  const variants: [string, Buffer, string][] = [
    ["UTF-8", Buffer.from(text, "utf8"), "utf-8"],
    ["Windows-1252 bytes", iconv.encode(text, "windows-1252"), "windows-1252"],
    ["UTF-16 LE with BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, "utf16le")]), "utf-16le"],
    ["UTF-8 read once as Windows-1252 and saved again", Buffer.from(iconv.decode(Buffer.from(text, "utf8"), "windows-1252"), "utf8"), "utf-8 → windows-1252 mojibake ×1"],
  ];

  it.each(variants)("%s gives the same plan", (_name, bytes, detected) => {
    const decoded = decodePlanBytes(bytes);
    expect(decoded.detected).toBe(detected);
    expect(decoded.text.replace(/\n$/, "")).toBe(text.replace(/\n$/, ""));
    const plan = readPlan(decoded.text);
    expect(allTasks(plan).sort()).toEqual(
      [
        "[x] Revisão da arquitetura concluída",
        "[ ] Configuração do ambiente de homologação",
        "[ ] Validação das políticas de segurança (opcional)",
        "[ ] Migração dos dados históricos",
        "[x] Comunicação às áreas de negócio",
        "[ ] Nenhuma perda de dados",
        "[x] Relatórios idênticos aos atuais",
      ].sort(),
    );
    expect(plan.phases.map((p) => [p.name, p.optional])).toEqual([
      ["Preparação", true],
      ["Execução", false],
    ]);
    expect(plan.criteria.map((c) => c.group)).toEqual(["Operação"]);
    expect(plan.reading).toMatchObject([{ role: "DBA", entries: [{ path: "docs/migracao.md", minutes: 20, sectionHint: "seções 1-3" }, { path: "docs/rollback.md", minutes: 10 }] }]);
  });

  it("marks the repaired lines of the mis-encoded copy (every line with an accent or dash)", () => {
    const decoded = decodePlanBytes(variants[3]![1]);
    const expected = text.split("\n").flatMap((line, i) => (/[^\x00-\x7f]/.test(line) ? [i + 1] : []));
    expect(decoded.repairedLines).toEqual(expected);
    expect(decoded.unsureLines).toEqual([]);
  });
});

describe("refusals", () => {
  it("refuses a plan with no task list, saying so", () => {
    expect(() => readPlan(decodePlanBytes(fixture("no-tasks.md")).text)).toThrow(PlanImportError);
    expect(() => readPlan(decodePlanBytes(fixture("no-tasks.md")).text)).toThrow(/no task list/);
  });

  it("refuses empty and binary files", () => {
    expect(() => decodePlanBytes(new Uint8Array())).toThrow(DecodeError);
    expect(() => decodePlanBytes(Buffer.from(" \n\n"))).toThrow(/empty/);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]);
    expect(() => decodePlanBytes(png)).toThrow(/binary/);
  });

  it("refuses a file over 2 MB", () => {
    expect(() => decodePlanBytes(Buffer.alloc(2 * 1024 * 1024 + 1, 0x41))).toThrow(/limit/);
  });
});

describe("the sample plan", () => {
  it("is recognised as its template, with 14 lines flagged as unsure", () => {
    const decoded = decodePlanBytes(readFileSync(new URL("../../prisma/fixtures/PROXIMOS_PASSOS_CHECKLIST.md", import.meta.url)));
    expect(decoded.detected).toBe("utf-8 → windows-1254 mojibake ×1");
    expect(decoded.unsureLines).toHaveLength(14);
    expect(readPlan(decoded.text).template).toBe("sample");
  });
});

describe("phase names keep the plan's words", () => {
  it('keeps "Phase" at the end of a phase\'s name: the sample plan\'s "Replica & Optional Multi-cluster Phase"', () => {
    const sample = readPlan(decodePlanBytes(readFileSync(new URL("../../prisma/fixtures/PROXIMOS_PASSOS_CHECKLIST.md", import.meta.url))).text);
    expect(sample.phases.map((p) => p.name)).toEqual(["Production Deployment", "Team Training & Operations", "Replica & Optional Multi-cluster Phase", "Monitoring"]);
  });

  it("drops only the heading's leading numbering, never a word of the name", () => {
    const plan = readMarkdownPlan(
      [
        "# Plan",
        "",
        "## Phase 3: Replica & Optional Multi-cluster Phase (optional)",
        "",
        "- [ ] Plan the replicas",
        "",
        "## Fase 4 — Fase final de monitoramento",
        "",
        "- [ ] Ligar os alertas",
        "",
      ].join("\n"),
    );
    expect(plan.phases.map((p) => [p.name, p.optional])).toEqual([
      ["Replica & Optional Multi-cluster Phase", true],
      ["Fase final de monitoramento", false],
    ]);
  });
});
