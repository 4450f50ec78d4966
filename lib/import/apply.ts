/**
 * Creates a rollout from an imported plan: every row in one transaction, the importer
 * as the rollout's admin, and one audit event `plan.imported` holding the file's
 * SHA-256 and the choices made. An import that fails leaves nothing behind.
 *
 * No `server-only` here: the seed and the CLI call it too. Who may import is checked by
 * the caller (`lib/actions/import.ts`, `canCreateRollouts`/`isInstanceAdmin` for the CLI's
 * operator is implied by shell access to the server).
 */
import { recordAudit } from '../audit/record';
import type { Db } from '../db/client';
import { ALL_ROLES, RESERVED_ROLE_SLUGS, ROLE_SLUGS } from '../domain/roles';
import type { Prisma } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
import { slugify, type ImportedPlan, type PlanItem } from './markdown-plan';

type Tx = Prisma.TransactionClient;
const DAY = 86_400_000;

/** A built-in role, a new custom role of the rollout (name, base role), or one of its existing custom roles. */
export type RoleChoice = { role: Role } | { custom: string; baseRole: Role } | { customRoleId: string };

export type WriteOptions = {
  slug: string;
  /** An existing rollout (with nothing recorded yet) to write into, instead of creating one. */
  rolloutId?: string;
  name?: string;
  description?: string | null;
  /** The instant the plan's day 0 maps to. */
  anchor: Date;
  /** Plan role label → a built-in role or a new custom role. Unmapped labels use the suggestion, else a custom role based on VIEWER. */
  roleMap?: Readonly<Record<string, RoleChoice>>;
  /** Who is assigned each role's next-24-hours actions (the demo's accounts). */
  assignees?: ReadonlyMap<Role, string>;
  /** Marks the first phase as started at day 0. */
  startFirstPhase?: boolean;
  /** The importer: ticked items are recorded as done by them, at import. */
  importerId?: string | null;
  now?: Date;
};

export type WriteResult = {
  rolloutId: string;
  slug: string;
  counts: { phases: number; items: number; signOffs: number; criteria: number; reading: number; contacts: number; milestones: number; documents: number; customRoles: number };
};

export function resolveRole(plan: ImportedPlan, label: string, roleMap?: Readonly<Record<string, RoleChoice>>): RoleChoice {
  const chosen = roleMap?.[label];
  if (chosen) return chosen;
  const suggested = plan.roles.find((r) => r.label === label)?.suggested ?? null;
  return suggested ? { role: suggested } : { custom: label, baseRole: 'VIEWER' };
}

/** Writes the plan's rows inside the caller's transaction. */
export async function writePlan(tx: Tx, plan: ImportedPlan, options: WriteOptions): Promise<WriteResult> {
  const at = (days: number | null | undefined) => (days === null || days === undefined ? null : new Date(options.anchor.getTime() + days * DAY));
  const now = options.now ?? new Date();
  const rolloutId =
    options.rolloutId ??
    (
      await tx.rollout.create({
        data: {
          slug: options.slug,
          name: options.name ?? plan.title,
          description: options.description ?? plan.description,
          anchorDate: new Date(options.anchor.toISOString().slice(0, 10)),
        },
        select: { id: true },
      })
    ).id;

  // Roles: built-in ones as they are; custom ones created once each (an existing
  // rollout's own custom roles keep their slugs and names).
  const existing = options.rolloutId
    ? await tx.rolloutRole.findMany({ where: { rolloutId }, select: { id: true, slug: true, name: true, baseRole: true } })
    : [];
  const builtInSlugs = new Set(Object.values(ROLE_SLUGS));
  const takenSlugs = new Set(existing.map((r) => r.slug));
  const customIds = new Map<string, { id: string; baseRole: Role }>();
  let created = 0;
  type Owner = { role: Role; customRoleId: string | null; roleKey: string };
  const ownerOf = async (label: string): Promise<Owner> => {
    const choice = resolveRole(plan, label, options.roleMap);
    if ('role' in choice) return { role: choice.role, customRoleId: null, roleKey: choice.role };
    if ('customRoleId' in choice) {
      const own = existing.find((r) => r.id === choice.customRoleId);
      if (!own) throw new Error(`The custom role ${choice.customRoleId} is not one of this rollout's.`);
      return { role: own.baseRole, customRoleId: own.id, roleKey: own.id };
    }
    let custom = customIds.get(choice.custom) ?? (() => {
      const same = existing.find((r) => r.name === choice.custom);
      return same ? { id: same.id, baseRole: same.baseRole } : undefined;
    })();
    if (!custom) {
      let slug = slugify(choice.custom) || `role-${created + 1}`;
      if (builtInSlugs.has(slug) || RESERVED_ROLE_SLUGS.has(slug) || ALL_ROLES.some((r) => r.toLowerCase() === slug)) slug = `${slug}-role`;
      while (takenSlugs.has(slug)) slug = `${slug}-2`;
      takenSlugs.add(slug);
      const row = await tx.rolloutRole.create({
        data: { rolloutId, slug, name: choice.custom, baseRole: choice.baseRole, position: existing.length + created },
        select: { id: true },
      });
      created += 1;
      custom = { id: row.id, baseRole: choice.baseRole };
    }
    customIds.set(choice.custom, custom);
    return { role: custom.baseRole, customRoleId: custom.id, roleKey: custom.id };
  };
  const owners = new Map<string, Owner>();
  for (const { label } of plan.roles) owners.set(label, await ownerOf(label));
  const owner = async (label: string | null) => (label === null ? null : (owners.get(label) ?? (await ownerOf(label))));

  if (options.importerId && !options.rolloutId) {
    await tx.rolloutMember.create({ data: { rolloutId, userId: options.importerId, role: 'ADMIN' } });
  }

  const phases = [];
  for (const [index, parsed] of plan.phases.entries()) {
    const started = index === 0 && options.startFirstPhase === true;
    phases.push(
      await tx.phase.create({
        data: {
          rolloutId,
          position: index + 1,
          name: parsed.name,
          goal: parsed.goal,
          window: parsed.window,
          optional: parsed.optional,
          plannedStart: at(parsed.startOffset),
          plannedEnd: at(parsed.endOffset),
          status: started ? 'IN_PROGRESS' : 'NOT_STARTED',
          actualStart: started ? at(0) : null,
        },
        select: { id: true, plannedEnd: true },
      }),
    );
  }

  const itemRow = async (item: PlanItem, extra: { list: 'IMMEDIATE' | 'NEXT_24H' | 'PHASE'; position: number; phaseId?: string; dueAt: Date | null; optional?: boolean; ownerLabel?: string | null }) => {
    const who = await owner(extra.ownerLabel !== undefined ? extra.ownerLabel : item.owner);
    const state = item.notApplicable !== null ? ('NOT_APPLICABLE' as const) : item.done ? ('DONE' as const) : ('OPEN' as const);
    return {
      rolloutId,
      phaseId: extra.phaseId ?? null,
      list: extra.list,
      position: extra.position,
      text: item.text,
      optional: extra.optional ?? item.optional,
      ownerRole: who?.role ?? null,
      ownerCustomRoleId: who?.customRoleId ?? null,
      assigneeId: extra.list === 'NEXT_24H' && who && !who.customRoleId ? (options.assignees?.get(who.role) ?? null) : null,
      dueAt: extra.dueAt,
      state,
      // Ticked in the file: done "at import", by the importer.
      stateChangedAt: state === 'OPEN' ? null : now,
      stateChangedById: state === 'OPEN' ? null : (options.importerId ?? null),
      notApplicableReason: item.notApplicable,
      evidence: item.evidence,
    };
  };

  const items: Prisma.ChecklistItemCreateManyInput[] = [];
  for (const [position, item] of plan.immediate.entries()) items.push(await itemRow(item, { list: 'IMMEDIATE', position, dueAt: at(plan.immediateDueOffset) }));
  for (const group of plan.roleActions) {
    for (const [position, item] of group.items.entries()) {
      items.push(await itemRow(item, { list: 'NEXT_24H', position, dueAt: at(group.dueOffset), ownerLabel: group.role }));
    }
  }
  for (const [index, parsed] of plan.phases.entries()) {
    const phase = phases[index]!;
    for (const [position, item] of parsed.items.entries()) {
      items.push(await itemRow(item, { list: 'PHASE', position, phaseId: phase.id, dueAt: phase.plannedEnd, optional: item.optional || parsed.optional }));
    }
  }
  for (let i = 0; i < items.length; i += 1000) await tx.checklistItem.createMany({ data: items.slice(i, i + 1000) });

  const signOffRows: Prisma.SignOffCreateManyInput[] = [];
  for (const [position, s] of plan.signOffs.entries()) {
    const deciders = await Promise.all((s.roles.length > 0 ? s.roles : ['EXECUTIVE']).map((label) => owner(label)));
    const builtIn = [...new Set(deciders.filter((d) => d && !d.customRoleId).map((d) => d!.role))];
    const custom = deciders.filter((d) => d?.customRoleId).map((d) => d!.customRoleId!);
    signOffRows.push({
      rolloutId,
      position,
      phaseId: s.phase === null ? null : (phases[s.phase]?.id ?? null),
      kind: s.kind,
      title: s.title,
      description: s.description ?? null,
      reference: s.reference ?? null,
      amountCents: s.amountCents ?? null,
      currency: s.currency ?? null,
      requiredRoles: builtIn,
      requiredCustomRoleIds: custom,
      approvalsNeeded: s.approvalsNeeded ?? 1,
      everyRole: s.everyRole ?? false,
      dueAt: at(s.dueOffset),
    });
  }
  if (signOffRows.length > 0) await tx.signOff.createMany({ data: signOffRows });
  // A plan that lists a decision as an action too ("Approve production deployment" as a
  // task and as a sign-off) means one thing: the action is linked to its sign-off, so
  // deciding the sign-off completes it (pages then never match titles).
  if (signOffRows.length > 0) {
    await tx.$executeRaw`
      UPDATE "ChecklistItem" AS i SET "signOffId" = s.id
      FROM "SignOff" AS s
      WHERE i."rolloutId" = ${rolloutId} AND s."rolloutId" = ${rolloutId} AND lower(i.text) = lower(s.title)`;
  }

  // Documents: the plan's own, plus one per reading-list path it does not describe.
  const documents = [...plan.documents];
  const keys = new Set(documents.map((d) => d.key));
  for (const entry of plan.reading.flatMap((r) => r.entries)) {
    if (documents.some((d) => d.path === entry.path)) continue;
    let key = slugify(entry.path) || `document-${documents.length + 1}`;
    while (keys.has(key)) key = `${key}-2`;
    keys.add(key);
    documents.push({ key, title: entry.path.split('/').at(-1) ?? entry.path, path: entry.path, summary: [], action: null, body: null });
  }
  const documentIds = new Map<string, string>();
  for (const doc of documents) {
    const created = await tx.document.create({
      data: { rolloutId, key: doc.key, title: doc.title, path: doc.path, summary: doc.summary, action: doc.action, body: doc.body },
      select: { id: true },
    });
    documentIds.set(doc.path, created.id);
  }
  const readingRows: Prisma.ReadingListEntryCreateManyInput[] = [];
  const nextPosition = new Map<string, number>();
  for (const list of plan.reading) {
    const who = (await owner(list.role))!;
    for (const entry of list.entries) {
      const position = nextPosition.get(who.roleKey) ?? 0;
      nextPosition.set(who.roleKey, position + 1);
      readingRows.push({ rolloutId, role: who.role, customRoleId: who.customRoleId, documentId: documentIds.get(entry.path)!, position, minutes: entry.minutes, sectionHint: entry.sectionHint });
    }
  }
  if (readingRows.length > 0) await tx.readingListEntry.createMany({ data: readingRows });

  const milestoneKeys = new Set<string>();
  const milestones = plan.milestones.map((m, position) => {
    let key = m.key || `milestone-${position + 1}`;
    while (milestoneKeys.has(key)) key = `${key}-2`;
    milestoneKeys.add(key);
    return { rolloutId, key, position, label: m.label, startsAt: at(m.startOffset)!, endsAt: at(m.endOffset), details: m.details };
  });
  if (milestones.length > 0) await tx.milestone.createMany({ data: milestones });

  let criteria = 0;
  for (const [groupPosition, group] of plan.criteria.entries()) {
    const { id: groupId } = await tx.criterionGroup.create({ data: { rolloutId, name: group.group, position: groupPosition }, select: { id: true } });
    await tx.successCriterion.createMany({
      data: group.items.map((c, position) => ({
        rolloutId,
        groupId,
        position,
        text: c.text,
        verifiedAt: c.done ? now : null,
        verifiedById: c.done ? (options.importerId ?? null) : null,
        note: c.done ? 'Ticked in the imported plan' : null,
      })),
    });
    criteria += group.items.length;
  }

  const contacts = [];
  for (const [position, contact] of plan.contacts.entries()) {
    const who = (await owner(contact.role))!;
    contacts.push({ rolloutId, position, topic: contact.topic, role: who.role, customRoleId: who.customRoleId, roleLabel: contact.label ?? (contact.role === who.role ? null : contact.role) });
  }
  if (contacts.length > 0) await tx.contact.createMany({ data: contacts });

  return {
    rolloutId,
    slug: options.slug,
    counts: {
      phases: phases.length,
      items: items.length,
      signOffs: signOffRows.length,
      criteria,
      reading: readingRows.length,
      contacts: contacts.length,
      milestones: milestones.length,
      documents: documents.length,
      customRoles: created,
    },
  };
}

export type ImportChoices = {
  readAs?: Record<string, string>;
  roleMap?: Record<string, RoleChoice>;
  lineEdits?: Record<string, string>;
  encoding?: string;
};

/**
 * One import: one transaction writing the plan and its `plan.imported` audit event.
 * The caller has checked the importer's right to create rollouts.
 */
export async function importPlanIntoNewRollout(
  db: Db,
  plan: ImportedPlan,
  input: { slug: string; sha256: string; importerId: string | null; choices: ImportChoices; anchor?: Date; name?: string },
): Promise<WriteResult> {
  const anchor = input.anchor ?? (plan.anchorDate ? new Date(`${plan.anchorDate}T00:00:00Z`) : new Date(new Date().toISOString().slice(0, 10)));
  return db.$transaction(
    async (tx) => {
      const result = await writePlan(tx, plan, { slug: input.slug, anchor, roleMap: input.choices.roleMap, importerId: input.importerId, ...(input.name ? { name: input.name } : {}) });
      await recordAudit(tx, {
        rolloutId: result.rolloutId,
        actorId: input.importerId,
        action: 'plan.imported',
        targetType: 'Rollout',
        targetId: result.rolloutId,
        after: { sha256: input.sha256, slug: input.slug, template: plan.template, choices: input.choices, counts: result.counts, warnings: plan.warnings.length },
      });
      return result;
    },
    { timeout: 120_000 },
  );
}
