import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planToMarkdown } from "@/lib/export/markdown";
import { planStructure, readMarkdownPlan, type ImportedPlan, type PlanItem } from "@/lib/import/markdown-plan";

// Words with Markdown's special characters in them, accents and emoji-free text: what
// people write in plans.
const word = fc.stringMatching(/^[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9*_`[\]<>#|~!&.,'()/-]{0,11}$/).filter((w) => !/\((?:optional|opcional)\)/i.test(w));
const phrase = fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(" "));
const roleLabel = fc.constantFrom("EXECUTIVE", "DBA", "QA Lead", "SRE Lead", "Data Engineer");

const item = fc.record({ text: phrase, done: fc.boolean(), optional: fc.boolean(), na: fc.option(phrase, { nil: null }), evidence: fc.option(fc.webUrl(), { nil: null }) }).map(
  ({ text, done, optional, na, evidence }): PlanItem => ({
    text: optional ? `${text} (optional)` : text,
    done: na === null ? done : false,
    optional,
    line: 0,
    depth: 0,
    owner: null,
    notApplicable: na,
    evidence,
  }),
);

const plan = fc
  .record({
    title: phrase,
    phases: fc.array(fc.record({ name: phrase, optional: fc.boolean(), items: fc.array(item, { minLength: 1, maxLength: 6 }), start: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }) }), { minLength: 1, maxLength: 4 }),
    immediate: fc.array(item, { maxLength: 3 }),
    roleActions: fc.uniqueArray(fc.record({ role: roleLabel, items: fc.array(item, { minLength: 1, maxLength: 3 }) }), { selector: (r) => r.role, maxLength: 3 }),
    reading: fc.uniqueArray(
      fc.record({ role: roleLabel, entries: fc.array(fc.record({ path: fc.stringMatching(/^[a-z][a-z0-9_/-]{0,12}\.md$/), minutes: fc.integer({ min: 1, max: 120 }), sectionHint: fc.option(phrase, { nil: null }) }), { minLength: 1, maxLength: 3 }) }),
      { selector: (r) => r.role, maxLength: 3 },
    ),
    criteria: fc.array(fc.record({ group: phrase, items: fc.array(fc.record({ text: phrase, done: fc.boolean() }), { minLength: 1, maxLength: 3 }) }), { maxLength: 2 }),
    contacts: fc.array(fc.record({ topic: phrase, role: roleLabel }), { maxLength: 3 }),
    signOffs: fc.array(fc.record({ title: phrase, done: fc.boolean(), roles: fc.uniqueArray(roleLabel, { maxLength: 2 }) }), { maxLength: 3 }),
  })
  .map(
    (g): ImportedPlan => ({
      title: g.title,
      anchorDate: "2026-01-05",
      template: "generic",
      description: null,
      sections: [],
      phases: g.phases.map((p, i) => ({
        sectionId: `p${i}`,
        name: p.name,
        optional: p.optional,
        window: null,
        goal: null,
        startOffset: p.start,
        endOffset: p.start === null ? null : p.start + 6,
        line: 0,
        items: p.items,
      })),
      immediate: g.immediate,
      immediateDueOffset: null,
      roleActions: g.roleActions.map((r) => ({ ...r, sectionId: r.role, dueOffset: null })),
      reading: g.reading.map((r) => ({ role: r.role, sectionId: r.role, entries: r.entries.map((e) => ({ ...e, line: 0 })) })),
      criteria: g.criteria.map((c) => ({ group: c.group, sectionId: c.group, items: c.items.map((i) => ({ ...i, line: 0 })) })),
      contacts: g.contacts.map((c) => ({ ...c, line: 0 })),
      milestones: [],
      signOffs: g.signOffs.map((s) => ({ ...s, kind: "PHASE_GATE" as const, phase: null, line: 0, decisions: [] })),
      documents: [],
      roles: [],
      warnings: [],
    }),
  );

describe("plan export and import", () => {
  it("re-imports an exported plan to the same structure, and export → import → export gives the same bytes", () => {
    fc.assert(
      fc.property(plan, (generated) => {
        const first = planToMarkdown(generated);
        const imported = readMarkdownPlan(first);
        expect(planStructure(imported)).toEqual(planStructure(generated));
        expect(imported.warnings).toEqual([]);
        expect(planToMarkdown(imported)).toBe(first);
      }),
      { numRuns: 200 },
    );
  });
});
