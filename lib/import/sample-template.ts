/**
 * The sample plan's own template ("PRÓXIMOS PASSOS - CHECKLIST FINAL": Portuguese
 * headings, a roadmap block, a timeline block), recognised and mapped to an
 * ImportedPlan exactly as the demo rollout shows it. Plans that do not follow the
 * template are read by the generic Markdown reader instead.
 *
 * Pure module: no I/O, no framework imports.
 */
import { sampleOwnerRole } from './sample-owners';
import type { Role, SignOffKind } from '../generated/prisma/enums';
import { collectRoles, slugify, type ImportedPlan, type PlanItem, type PlanSignOff } from './markdown-plan';
import { parsePlan, PlanParseError, type ParsedPlan } from './plan-parser';

// The plan's phases as day offsets from its "today" (7 Dec 2025): weeks 1-2, weeks 2-3,
// week 4+ through January, February on.
const PHASE_WINDOWS: [number, number][] = [
  [1, 14],
  [8, 21],
  [22, 55],
  [56, 83],
];

function item(text: string, optional: boolean, owner: Role | null): PlanItem {
  return { text, done: false, optional, line: 0, depth: 0, owner, notApplicable: null, evidence: null };
}

function documentBody(doc: ParsedPlan['documents'][number]): string | null {
  if (doc.summary.length === 0 && !doc.action) return null;
  const parts = [`# ${doc.title}`, '', `\`${doc.path}\``, ''];
  if (doc.summary.length) parts.push('## Conteúdo', '', ...doc.summary.map((line) => `- ${line}`), '');
  if (doc.action) parts.push(`**Ação:** ${doc.action}`, '');
  return parts.join('\n');
}

function signOffs(plan: ParsedPlan): PlanSignOff[] {
  const phase1 = plan.phases.findIndex((p) => p.number === 1);
  const replica = plan.phases.findIndex((p) => p.optional);
  const at = (kind: SignOffKind, title: string, extra: Partial<PlanSignOff> = {}): PlanSignOff => ({
    title, kind, done: false, roles: ['EXECUTIVE'], phase: phase1, line: 0, dueOffset: 1, ...extra,
  });
  return [
    ...plan.phases.map((p, index) => at('PHASE_GATE', `${p.name}: gate`, { phase: index, dueOffset: PHASE_WINDOWS[index]?.[1] ?? 0 })),
    at('PRODUCTION_DEPLOYMENT', 'Approve production deployment', { reference: 'EXECUTIVE_SUMMARY.md' }),
    at('DEPLOYMENT_DATE', 'Sign-off on deployment date'),
    at('BUDGET', 'Approve Phase 1 budget ($150K total)', {
      phase: replica >= 0 ? replica : phase1,
      description: 'Resource requirements: $50-100K + $10K/month',
      reference: 'docs/PHASE_1_REPLICA_PLAN.md',
      amountCents: BigInt(150_000 * 100),
      currency: 'USD',
      roles: ['EXECUTIVE', 'FINANCE'],
      approvalsNeeded: 2,
      everyRole: true,
    }),
    ...Array.from({ length: 23 }, (_, i) =>
      at('SECURITY_POLICY', `Security policy ${String(i + 1).padStart(2, '0')} of 23`, { reference: 'docs/Projeto.md, section 18.6', roles: ['SECURITY_OFFICER'] }),
    ),
    at('ACCESS_CONTROL', 'Approve RLAC implementation', { description: 'Row-level access control', reference: 'docs/Projeto.md, section 18.6', roles: ['SECURITY_OFFICER'] }),
    at('COMPLIANCE', 'Sign-off on compliance', { roles: ['SECURITY_OFFICER'] }),
    at('GO_NO_GO', 'Go/No-go decision', { dueOffset: 10 }),
  ];
}

/** The sample template's reading, or null when the text does not follow the template. */
export function readSampleTemplate(markdown: string): ImportedPlan | null {
  let parsed: ParsedPlan;
  try {
    parsed = parsePlan(markdown);
  } catch (error) {
    if (error instanceof PlanParseError) return null;
    throw error;
  }
  const plan: ImportedPlan = {
    title: parsed.title,
    anchorDate: parsed.createdOn,
    template: 'sample',
    description: null,
    sections: [],
    phases: parsed.phases.map((p, index) => ({
      sectionId: `phase-${p.number}`,
      name: p.name,
      optional: p.optional,
      window: p.window,
      goal: p.goal,
      startOffset: PHASE_WINDOWS[index]?.[0] ?? null,
      endOffset: PHASE_WINDOWS[index]?.[1] ?? null,
      line: 0,
      items: p.items.map((i) => item(i.text, i.optional, sampleOwnerRole(i.text))),
    })),
    immediate: parsed.immediate.map((i) => item(i.text, false, i.ownerRole ?? sampleOwnerRole(i.text))),
    immediateDueOffset: 7,
    roleActions: parsed.nextDay.map((group) => ({ role: group.role, sectionId: `next-${group.role}`, dueOffset: 1, items: group.items.map((text) => item(text, false, null)) })),
    reading: parsed.readingLists.map((list) => ({
      role: list.role,
      sectionId: `reading-${list.role}`,
      entries: list.entries.map((e) => ({ path: e.path, minutes: e.minutes, sectionHint: e.sectionHint, line: 0 })),
    })),
    criteria: parsed.successCriteria.map((g) => ({ group: g.title, sectionId: `criteria-${g.group}`, items: g.items.map((text) => ({ text, done: false, line: 0 })) })),
    contacts: parsed.contacts.map((c) => ({ topic: c.topic, role: c.role, label: c.label, line: 0 })),
    milestones: parsed.milestones.map((m) => ({ key: m.key || slugify(m.label), label: m.label, startOffset: m.offsetDays, endOffset: m.endOffsetDays, details: m.details, line: 0 })),
    signOffs: signOffs(parsed),
    documents: parsed.documents.map((d) => ({ key: d.key, title: d.title, path: d.path, summary: d.summary, action: d.action ?? null, body: documentBody(d) })),
    roles: [],
    warnings: [],
  };
  plan.roles = collectRoles(plan);
  return plan;
}
