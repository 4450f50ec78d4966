/**
 * A rollout's plan as Markdown, in the format `docs/plan-format.md` documents: a
 * GitHub-style checklist that the importer reads back to the same structure, with the
 * current state (ticked items, not-applicable with reason, evidence, sign-off decisions
 * with who and when). `planToMarkdown` is pure and deterministic: export → import →
 * export gives the same bytes.
 */
import type { Db } from '../db/client';
import type { ImportedPlan, PlanItem } from '../import/markdown-plan';

const DAY = 86_400_000;

/** Backslash-escapes what Markdown would otherwise read as syntax. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~!&]/g, (c) => `\\${c}`).replace(/^(\d+)([.)])/, '$1\\$2').replace(/^([-+=])/, '\\$1');
}

function day(anchor: number, offset: number | null): string | null {
  return offset === null ? null : new Date(anchor + offset * DAY).toISOString().slice(0, 10);
}

/** A URL as an autolink (GFM would otherwise link it with its escapes in it); other text escaped. */
function link(text: string): string {
  return /^https?:\/\/[^\s<>]+$/.test(text) ? `<${text}>` : escapeMarkdown(text);
}

function itemLine(item: PlanItem, withOwner: boolean): string {
  const suffix = [
    item.notApplicable !== null ? ` — n/a: ${escapeMarkdown(item.notApplicable)}` : '',
    item.evidence !== null ? ` — evidence: ${link(item.evidence)}` : '',
    withOwner && item.owner ? ` — owner: ${escapeMarkdown(item.owner)}` : '',
  ].join('');
  return `- [${item.done ? 'x' : ' '}] ${escapeMarkdown(item.text)}${suffix}`;
}

export function planToMarkdown(plan: ImportedPlan): string {
  const anchor = plan.anchorDate ? Date.parse(`${plan.anchorDate}T00:00:00Z`) : 0;
  const out: string[] = [`# ${escapeMarkdown(plan.title)}`, ''];
  if (plan.description) out.push(escapeMarkdown(plan.description), '');
  const block = (heading: string, lines: string[], intro: string[] = []) => {
    out.push(`## ${heading}`, '', ...intro, ...(intro.length ? [''] : []), ...lines, '');
  };

  if (plan.immediate.length > 0) block('Immediate', plan.immediate.map((i) => itemLine(i, true)));
  plan.phases.forEach((phase, index) => {
    const start = plan.anchorDate ? day(anchor, phase.startOffset) : null;
    const end = plan.anchorDate ? day(anchor, phase.endOffset) : null;
    const dates = start ? ` (${start}${end && end !== start ? ` – ${end}` : ''})` : '';
    block(
      `Phase ${index + 1}: ${escapeMarkdown(phase.name)}${phase.optional ? ' (optional)' : ''}${dates}`,
      phase.items.map((i) => itemLine(i, true)),
      phase.goal ? [`Goal: ${escapeMarkdown(phase.goal)}`] : [],
    );
  });
  for (const group of plan.roleActions) block(`Actions: ${escapeMarkdown(group.role)}`, group.items.map((i) => itemLine(i, false)));
  for (const list of plan.reading) {
    block(
      `Reading: ${escapeMarkdown(list.role)}`,
      list.entries.map((e, i) => `${i + 1}. ${escapeMarkdown(e.path)}${e.sectionHint ? ` — ${escapeMarkdown(e.sectionHint)}` : ''} (${e.minutes} min)`),
    );
  }
  for (const group of plan.criteria) block(`Success criteria: ${escapeMarkdown(group.group)}`, group.items.map((c) => `- [${c.done ? 'x' : ' '}] ${escapeMarkdown(c.text)}`));
  if (plan.contacts.length > 0) {
    block('Contacts', ['| Topic | Role |', '| --- | --- |', ...plan.contacts.map((c) => `| ${escapeMarkdown(c.topic)} | ${escapeMarkdown(c.role)} |`)]);
  }
  if (plan.milestones.length > 0 && plan.anchorDate) {
    block(
      'Milestones',
      plan.milestones.map((m) => {
        const end = day(anchor, m.endOffset);
        return `- ${escapeMarkdown(m.label.replace(/:/g, ' '))}: ${day(anchor, m.startOffset)}${end ? ` – ${end}` : ''}`;
      }),
    );
  }
  if (plan.signOffs.length > 0) {
    block(
      'Sign-offs',
      plan.signOffs.flatMap((s) => [
        `- [${s.done ? 'x' : ' '}] ${escapeMarkdown(s.title)}${s.roles.length ? ` (roles: ${s.roles.map(escapeMarkdown).join(', ')})` : ''}`,
        ...(s.decisions ?? []).map((d) => `  - ${escapeMarkdown(d)}`),
      ]),
    );
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** Reads a stored rollout back into the importer's shape, with its current state. */
export async function readRolloutAsPlan(db: Db, rolloutId: string): Promise<ImportedPlan> {
  const [rollout, phases, items, signOffs, reading, groups, contacts, milestones, customRoles] = await Promise.all([
    db.rollout.findUniqueOrThrow({ where: { id: rolloutId } }),
    db.phase.findMany({ where: { rolloutId }, orderBy: { position: 'asc' } }),
    db.checklistItem.findMany({ where: { rolloutId }, orderBy: [{ list: 'asc' }, { position: 'asc' }] }),
    db.signOff.findMany({
      where: { rolloutId },
      orderBy: { position: 'asc' },
      include: { decisions: { where: { withdrawnAt: null }, orderBy: { decidedAt: 'asc' }, include: { user: { select: { name: true, email: true } } } } },
    }),
    db.readingListEntry.findMany({ where: { rolloutId }, orderBy: [{ roleKey: 'asc' }, { position: 'asc' }], include: { document: { select: { path: true, title: true } } } }),
    db.criterionGroup.findMany({ where: { rolloutId }, orderBy: { position: 'asc' }, include: { criteria: { orderBy: { position: 'asc' } } } }),
    db.contact.findMany({ where: { rolloutId }, orderBy: { position: 'asc' } }),
    db.milestone.findMany({ where: { rolloutId }, orderBy: { position: 'asc' } }),
    db.rolloutRole.findMany({ where: { rolloutId } }),
  ]);
  const anchor = Date.parse(`${rollout.anchorDate.toISOString().slice(0, 10)}T00:00:00Z`);
  const offset = (d: Date | null) => (d === null ? null : Math.round((Date.parse(`${d.toISOString().slice(0, 10)}T00:00:00Z`) - anchor) / DAY));
  const customName = new Map(customRoles.map((r) => [r.id, r.name]));
  const roleLabel = (role: string, customRoleId: string | null) => (customRoleId ? (customName.get(customRoleId) ?? role) : role);
  const toItem = (i: (typeof items)[number], withOwner: boolean): PlanItem => ({
    text: i.text,
    done: i.state === 'DONE',
    optional: i.optional,
    line: 0,
    depth: 0,
    owner: withOwner && i.ownerRole ? roleLabel(i.ownerRole, i.ownerCustomRoleId) : null,
    notApplicable: i.state === 'NOT_APPLICABLE' ? (i.notApplicableReason ?? '') : null,
    evidence: i.evidence,
  });
  const nextDay = new Map<string, PlanItem[]>();
  for (const i of items.filter((x) => x.list === 'NEXT_24H')) {
    const label = i.ownerRole ? roleLabel(i.ownerRole, i.ownerCustomRoleId) : 'Unassigned';
    nextDay.set(label, [...(nextDay.get(label) ?? []), toItem(i, false)]);
  }
  const readingByRole = new Map<string, ImportedPlan['reading'][number]['entries']>();
  for (const e of reading) {
    const label = roleLabel(e.role, e.customRoleId);
    readingByRole.set(label, [...(readingByRole.get(label) ?? []), { path: e.document.path ?? e.document.title, minutes: e.minutes, sectionHint: e.sectionHint, line: 0 }]);
  }
  return {
    title: rollout.name,
    anchorDate: rollout.anchorDate.toISOString().slice(0, 10),
    template: 'generic',
    description: rollout.description,
    sections: [],
    phases: phases.map((p) => ({
      sectionId: p.id,
      name: p.name,
      optional: p.optional,
      window: p.window,
      goal: p.goal,
      startOffset: offset(p.plannedStart),
      endOffset: offset(p.plannedEnd),
      line: 0,
      items: items.filter((i) => i.phaseId === p.id).map((i) => toItem(i, true)),
    })),
    immediate: items.filter((i) => i.list === 'IMMEDIATE').map((i) => toItem(i, true)),
    immediateDueOffset: null,
    roleActions: [...nextDay].map(([role, list]) => ({ role, sectionId: role, dueOffset: null, items: list })),
    reading: [...readingByRole].map(([role, entries]) => ({ role, sectionId: role, entries })),
    criteria: groups.map((g) => ({ group: g.name, sectionId: g.id, items: g.criteria.map((c) => ({ text: c.text, done: c.verifiedAt !== null, line: 0 })) })),
    contacts: contacts.map((c) => ({ topic: c.topic, role: c.roleLabel ?? roleLabel(c.role, c.customRoleId), line: 0 })),
    milestones: milestones.map((m) => ({ key: m.key, label: m.label, startOffset: offset(m.startsAt) ?? 0, endOffset: offset(m.endsAt), details: m.details, line: 0 })),
    signOffs: signOffs.map((s) => ({
      title: s.title,
      kind: s.kind,
      done: s.status === 'APPROVED',
      roles: [...s.requiredRoles, ...s.requiredCustomRoleIds.map((id) => customName.get(id) ?? id)],
      phase: s.phaseId ? phases.findIndex((p) => p.id === s.phaseId) : null,
      line: 0,
      decisions: s.decisions.map((d) => `${d.value === 'APPROVE' ? 'approved' : 'rejected'} by ${d.user.name} (${d.user.email}) on ${d.decidedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${d.comment ? `: ${d.comment}` : ''}`),
    })),
    documents: [],
    roles: [],
    warnings: [],
  };
}
