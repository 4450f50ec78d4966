import type { Prisma } from "../generated/prisma/client";

// Copying a plan's structure from one rollout (or template) into another: phases, items,
// sign-offs with their approver rules, reading lists, documents, criteria and their groups,
// contacts, milestones and the rollout's own roles. Every state is reset (nothing ticked,
// decided, verified or started; no assignees, since people are not copied) and every date
// moves by the same number of whole days, so that the plan starts on the chosen date.
// No authorization here: callers (the data layer, the seed) check it first. Not
// `server-only`, because the seed uses it too.

type Tx = Prisma.TransactionClient;
const DAY = 86_400_000;

/** Whole days from the source's start date to the new one (both calendar dates). */
export function shiftDays(sourceAnchor: Date, newStart: Date): number {
  return Math.round((Date.UTC(newStart.getUTCFullYear(), newStart.getUTCMonth(), newStart.getUTCDate()) - Date.UTC(sourceAnchor.getUTCFullYear(), sourceAnchor.getUTCMonth(), sourceAnchor.getUTCDate())) / DAY);
}

export type CopyCounts = {
  customRoles: number;
  phases: number;
  items: number;
  signOffs: number;
  documents: number;
  readingEntries: number;
  criterionGroups: number;
  criteria: number;
  contacts: number;
  milestones: number;
};

/** Copies the structure of `sourceId` into the (empty) rollout `targetId`, dates moved by `days`. */
export async function copyRolloutStructure(tx: Tx, sourceId: string, targetId: string, days: number): Promise<CopyCounts> {
  const shift = (date: Date | null): Date | null => (date === null ? null : new Date(date.getTime() + days * DAY));
  const [customRoles, phases, signOffs, items, documents, entries, groups, criteria, contacts, milestones] = await Promise.all([
    tx.rolloutRole.findMany({ where: { rolloutId: sourceId }, orderBy: { position: "asc" } }),
    tx.phase.findMany({ where: { rolloutId: sourceId }, orderBy: { position: "asc" } }),
    tx.signOff.findMany({ where: { rolloutId: sourceId }, orderBy: { position: "asc" } }),
    tx.checklistItem.findMany({ where: { rolloutId: sourceId }, orderBy: [{ list: "asc" }, { position: "asc" }] }),
    tx.document.findMany({ where: { rolloutId: sourceId }, orderBy: { key: "asc" } }),
    tx.readingListEntry.findMany({ where: { rolloutId: sourceId }, orderBy: [{ roleKey: "asc" }, { position: "asc" }] }),
    tx.criterionGroup.findMany({ where: { rolloutId: sourceId }, orderBy: { position: "asc" } }),
    tx.successCriterion.findMany({ where: { rolloutId: sourceId }, orderBy: [{ groupId: "asc" }, { position: "asc" }] }),
    tx.contact.findMany({ where: { rolloutId: sourceId }, orderBy: { position: "asc" } }),
    tx.milestone.findMany({ where: { rolloutId: sourceId }, orderBy: { position: "asc" } }),
  ]);

  const ids = {
    role: new Map<string, string>(),
    phase: new Map<string, string>(),
    signOff: new Map<string, string>(),
    document: new Map<string, string>(),
    group: new Map<string, string>(),
  };
  const mapped = (map: Map<string, string>, id: string | null): string | null => (id === null ? null : (map.get(id) ?? null));

  for (const role of customRoles) {
    const created = await tx.rolloutRole.create({
      data: { rolloutId: targetId, slug: role.slug, name: role.name, baseRole: role.baseRole, position: role.position },
      select: { id: true },
    });
    ids.role.set(role.id, created.id);
  }
  for (const phase of phases) {
    const created = await tx.phase.create({
      data: {
        rolloutId: targetId,
        position: phase.position,
        name: phase.name,
        goal: phase.goal,
        window: phase.window,
        optional: phase.optional,
        plannedStart: shift(phase.plannedStart),
        plannedEnd: shift(phase.plannedEnd),
      },
      select: { id: true },
    });
    ids.phase.set(phase.id, created.id);
  }
  for (const signOff of signOffs) {
    const created = await tx.signOff.create({
      data: {
        rolloutId: targetId,
        phaseId: mapped(ids.phase, signOff.phaseId),
        kind: signOff.kind,
        position: signOff.position,
        title: signOff.title,
        description: signOff.description,
        reference: signOff.reference,
        amountCents: signOff.amountCents,
        currency: signOff.currency,
        requiredRoles: signOff.requiredRoles,
        requiredCustomRoleIds: signOff.requiredCustomRoleIds.map((id) => ids.role.get(id)).filter((id): id is string => id !== undefined),
        approvalsNeeded: signOff.approvalsNeeded,
        everyRole: signOff.everyRole,
        requiredForGate: signOff.requiredForGate,
        dueAt: shift(signOff.dueAt),
      },
      select: { id: true },
    });
    ids.signOff.set(signOff.id, created.id);
  }
  await tx.checklistItem.createMany({
    data: items.map((item) => ({
      rolloutId: targetId,
      phaseId: mapped(ids.phase, item.phaseId),
      list: item.list,
      position: item.position,
      text: item.text,
      ownerRole: item.ownerRole,
      ownerCustomRoleId: mapped(ids.role, item.ownerCustomRoleId),
      signOffId: mapped(ids.signOff, item.signOffId),
      dueAt: shift(item.dueAt),
      optional: item.optional,
    })),
  });
  for (const document of documents) {
    const created = await tx.document.create({
      data: {
        rolloutId: targetId,
        key: document.key,
        title: document.title,
        path: document.path,
        url: document.url,
        summary: document.summary,
        action: document.action,
        body: document.body,
      },
      select: { id: true },
    });
    ids.document.set(document.id, created.id);
  }
  await tx.readingListEntry.createMany({
    data: entries.map((entry) => ({
      rolloutId: targetId,
      role: entry.role,
      customRoleId: mapped(ids.role, entry.customRoleId),
      documentId: ids.document.get(entry.documentId)!,
      position: entry.position,
      minutes: entry.minutes,
      sectionHint: entry.sectionHint,
    })),
  });
  for (const group of groups) {
    const created = await tx.criterionGroup.create({ data: { rolloutId: targetId, name: group.name, position: group.position }, select: { id: true } });
    ids.group.set(group.id, created.id);
  }
  await tx.successCriterion.createMany({
    data: criteria.map((criterion) => ({ rolloutId: targetId, groupId: ids.group.get(criterion.groupId)!, position: criterion.position, text: criterion.text })),
  });
  await tx.contact.createMany({
    data: contacts.map((contact) => ({
      rolloutId: targetId,
      position: contact.position,
      topic: contact.topic,
      role: contact.role,
      roleLabel: contact.roleLabel,
      customRoleId: mapped(ids.role, contact.customRoleId),
      notes: contact.notes,
    })),
  });
  await tx.milestone.createMany({
    data: milestones.map((milestone) => ({
      rolloutId: targetId,
      phaseId: mapped(ids.phase, milestone.phaseId),
      key: milestone.key,
      position: milestone.position,
      label: milestone.label,
      startsAt: shift(milestone.startsAt)!,
      endsAt: shift(milestone.endsAt),
      details: milestone.details,
    })),
  });
  return {
    customRoles: customRoles.length,
    phases: phases.length,
    items: items.length,
    signOffs: signOffs.length,
    documents: documents.length,
    readingEntries: entries.length,
    criterionGroups: groups.length,
    criteria: criteria.length,
    contacts: contacts.length,
    milestones: milestones.length,
  };
}
