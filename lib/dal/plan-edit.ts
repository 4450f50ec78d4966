import "server-only";
import { randomBytes } from "node:crypto";
import { recordAudit } from "../audit/record";
import { assertCan } from "../auth/access";
import { can } from "../auth/permissions";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { isClosed } from "../domain/phase";
import { evaluateQuorum } from "../domain/sign-off";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { PhaseStatus, Role } from "../generated/prisma/enums";
import type {
  CreateContactInput,
  CreateCriterionGroupInput,
  CreateCriterionInput,
  CreateMilestoneInput,
  RenameCriterionGroupInput,
  UpdateContactInput,
  UpdateCriterionInput,
  UpdateMilestoneInput,
  CreateDocumentInput,
  CreateItemInput,
  CreatePhaseInput,
  CreateReadingEntryInput,
  CreateSignOffInput,
  DeleteInput,
  MoveInput,
  UpdateDocumentInput,
  UpdateItemInput,
  UpdatePhaseInput,
  UpdateReadingEntryInput,
  UpdateSignOffInput,
} from "../validation/plan";
import { resolveRoleKey } from "./roles";

// The plan editor's writes (permission `plan.edit`). Each one: authorize, check that no
// closed gate would change (a phase that is DONE or SKIPPED, its items and sign-offs: reopen
// the phase first, on record), write conditionally on the row's version (a stale write is
// refused with the fresh row), and append its audit event with before and after, all in
// one transaction.

type Tx = Prisma.TransactionClient;
type Entity = "phase" | "item" | "signOff" | "document" | "reading" | "criterionGroup" | "criterion" | "contact" | "milestone";
type Verb = "created" | "updated" | "moved" | "deleted";

async function audit(tx: Tx, actor: Actor, rolloutId: string, entity: Entity, verb: Verb, target: { type: string; id: string }, before?: unknown, after?: unknown) {
  await recordAudit(tx, { rolloutId, actorId: actor.id, action: `plan.${entity}.${verb}`, targetType: target.type, targetId: target.id, before, after });
}

function stale(fresh: unknown): never {
  throw new AppError("STALE", { key: "errors.plan.stale" }, { fresh });
}

function notFound(): never {
  throw new AppError("NOT_FOUND", { key: "errors.plan.noSuchEntry" });
}

/** Inside the writer's transaction: the phase exists in the rollout and its gate is not closed (shared lock against a concurrent "complete"). */
async function assertPhaseEditable(tx: Tx, rolloutId: string, phaseId: string | null) {
  if (!phaseId) return;
  const [phase] = await tx.$queryRaw<{ name: string; status: PhaseStatus; rolloutId: string }[]>`
    SELECT name, status::text AS status, "rolloutId" FROM "Phase" WHERE id = ${phaseId} FOR SHARE`;
  if (!phase || phase.rolloutId !== rolloutId) throw new AppError("INVALID_INPUT", { key: "errors.plan.wrongRollout" });
  if (isClosed(phase.status)) throw new AppError("CONFLICT", { key: "errors.plan.closedPhase", values: { phase: phase.name } });
}

// --- phases -----------------------------------------------------------------------------

const phaseFields = (p: { name: string; goal: string | null; window: string | null; plannedStart: Date | null; plannedEnd: Date | null; optional: boolean }) => ({
  name: p.name,
  goal: p.goal,
  window: p.window,
  plannedStart: p.plannedStart,
  plannedEnd: p.plannedEnd,
  optional: p.optional,
});

export async function createPhase(actor: Actor, input: CreatePhaseInput) {
  await assertCan(actor, input.rolloutId, "plan.edit");
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`phases:${input.rolloutId}`}))`;
    const last = await tx.phase.findFirst({ where: { rolloutId: input.rolloutId }, orderBy: { position: "desc" }, select: { position: true } });
    const phase = await tx.phase.create({ data: { rolloutId: input.rolloutId, position: (last?.position ?? 0) + 1, ...phaseFields(input) } });
    await audit(tx, actor, input.rolloutId, "phase", "created", { type: "Phase", id: phase.id }, undefined, { position: phase.position, ...phaseFields(phase) });
    return phase;
  });
}

async function loadPhase(actor: Actor, phaseId: string) {
  const phase = await getDb().phase.findUnique({ where: { id: phaseId } });
  if (!phase) notFound();
  await assertCan(actor, phase.rolloutId, "plan.edit");
  return phase;
}

export async function updatePhase(actor: Actor, input: UpdatePhaseInput) {
  const phase = await loadPhase(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await assertPhaseEditable(tx, phase.rolloutId, phase.id);
    const { count } = await tx.phase.updateMany({ where: { id: phase.id, version: input.version }, data: { ...phaseFields(input), version: { increment: 1 } } });
    if (count === 0) stale(await tx.phase.findUnique({ where: { id: phase.id } }));
    await audit(tx, actor, phase.rolloutId, "phase", "updated", { type: "Phase", id: phase.id }, phaseFields(phase), phaseFields(input));
    return tx.phase.findUniqueOrThrow({ where: { id: phase.id } });
  });
}

export async function movePhase(actor: Actor, input: MoveInput) {
  const phase = await loadPhase(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`phases:${phase.rolloutId}`}))`;
    const neighbour = await tx.phase.findFirst({
      where: { rolloutId: phase.rolloutId, position: input.direction === "up" ? { lt: phase.position } : { gt: phase.position } },
      orderBy: { position: input.direction === "up" ? "desc" : "asc" },
    });
    if (!neighbour) throw new AppError("CONFLICT", { key: "errors.plan.cannotMove", values: { direction: input.direction } });
    // Moving a phase past a closed one would reorder a closed gate's history.
    await assertPhaseEditable(tx, phase.rolloutId, phase.id);
    await assertPhaseEditable(tx, phase.rolloutId, neighbour.id);
    const { count } = await tx.phase.updateMany({ where: { id: phase.id, version: input.version }, data: { position: -1, version: { increment: 1 } } });
    if (count === 0) stale(await tx.phase.findUnique({ where: { id: phase.id } }));
    await tx.phase.update({ where: { id: neighbour.id }, data: { position: phase.position, version: { increment: 1 } } });
    await tx.phase.update({ where: { id: phase.id }, data: { position: neighbour.position } });
    await audit(tx, actor, phase.rolloutId, "phase", "moved", { type: "Phase", id: phase.id }, { position: phase.position }, { position: neighbour.position });
    return tx.phase.findUniqueOrThrow({ where: { id: phase.id } });
  });
}

/** Deletes a phase while nothing is recorded on it: not started, no ticked item, no decision. */
export async function deletePhase(actor: Actor, input: DeleteInput) {
  const phase = await loadPhase(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`phases:${phase.rolloutId}`}))`;
    await tx.$queryRaw`SELECT id FROM "Phase" WHERE id = ${phase.id} FOR UPDATE`;
    const current = await tx.phase.findUnique({ where: { id: phase.id } });
    if (!current || current.version !== input.version) stale(current);
    const [recordedItems, decisions] = await Promise.all([
      tx.checklistItem.count({ where: { phaseId: phase.id, state: { not: "OPEN" } } }),
      tx.signOffDecision.count({ where: { signOff: { phaseId: phase.id } } }),
    ]);
    if (current.status !== "NOT_STARTED" || recordedItems > 0 || decisions > 0) {
      throw new AppError("CONFLICT", { key: "errors.plan.phaseHasRecords", values: { phase: phase.name } });
    }
    const [items, signOffs] = await Promise.all([
      tx.checklistItem.count({ where: { phaseId: phase.id } }),
      tx.signOff.deleteMany({ where: { phaseId: phase.id } }),
    ]);
    await tx.phase.delete({ where: { id: phase.id } });
    // Close the gap, one at a time upwards so the (rollout, position) key never collides.
    const later = await tx.phase.findMany({ where: { rolloutId: phase.rolloutId, position: { gt: phase.position } }, orderBy: { position: "asc" }, select: { id: true, position: true } });
    for (const p of later) await tx.phase.update({ where: { id: p.id }, data: { position: p.position - 1, version: { increment: 1 } } });
    await audit(tx, actor, phase.rolloutId, "phase", "deleted", { type: "Phase", id: phase.id }, { position: phase.position, ...phaseFields(phase), items, signOffs: signOffs.count });
    return { id: phase.id };
  });
}

// --- checklist items --------------------------------------------------------------------

type ItemFields = {
  text: string;
  list: "PHASE" | "IMMEDIATE" | "NEXT_24H";
  phaseId: string | null;
  ownerRole: Role | null;
  ownerCustomRoleId: string | null;
  assigneeId: string | null;
  dueAt: Date | null;
  optional: boolean;
  signOffId: string | null;
};
const itemFields = (i: ItemFields): ItemFields => ({
  text: i.text,
  list: i.list,
  phaseId: i.phaseId,
  ownerRole: i.ownerRole,
  ownerCustomRoleId: i.ownerCustomRoleId,
  assigneeId: i.assigneeId,
  dueAt: i.dueAt,
  optional: i.optional,
  signOffId: i.signOffId,
});

/** The posted item fields, with its owner role, assignee and completing sign-off checked against the rollout. */
async function resolveItem(tx: Tx, rolloutId: string, input: CreateItemInput | UpdateItemInput): Promise<ItemFields> {
  const owner = input.ownerRole ? await resolveRoleKey(tx, rolloutId, input.ownerRole) : null;
  if (input.assigneeId) {
    const member = await tx.rolloutMember.findFirst({ where: { rolloutId, userId: input.assigneeId, user: { active: true } }, select: { id: true } });
    if (!member) throw new AppError("INVALID_INPUT", { key: "errors.plan.assigneeNotMember" });
  }
  if (input.signOffId) {
    const signOff = await tx.signOff.findFirst({ where: { id: input.signOffId, rolloutId }, select: { id: true } });
    if (!signOff) throw new AppError("INVALID_INPUT", { key: "errors.plan.signOffElsewhere" });
  }
  return itemFields({
    ...input,
    ownerRole: owner?.role ?? null,
    ownerCustomRoleId: owner?.customRoleId ?? null,
  });
}

async function nextItemPosition(tx: Tx, rolloutId: string, list: ItemFields["list"], phaseId: string | null) {
  const last = await tx.checklistItem.findFirst({ where: { rolloutId, list, phaseId }, orderBy: { position: "desc" }, select: { position: true } });
  return (last?.position ?? -1) + 1;
}

export async function createItem(actor: Actor, input: CreateItemInput) {
  await assertCan(actor, input.rolloutId, "plan.edit");
  return getDb().$transaction(async (tx) => {
    await assertPhaseEditable(tx, input.rolloutId, input.phaseId);
    const fields = await resolveItem(tx, input.rolloutId, input);
    const item = await tx.checklistItem.create({
      data: { rolloutId: input.rolloutId, position: await nextItemPosition(tx, input.rolloutId, fields.list, fields.phaseId), ...fields },
    });
    await audit(tx, actor, input.rolloutId, "item", "created", { type: "ChecklistItem", id: item.id }, undefined, fields);
    return item;
  });
}

async function loadItem(actor: Actor, itemId: string) {
  const item = await getDb().checklistItem.findUnique({ where: { id: itemId } });
  if (!item) notFound();
  await assertCan(actor, item.rolloutId, "plan.edit");
  return item;
}

/** Edits an item; a new phase or list moves it to the end of that list. */
export async function updateItem(actor: Actor, input: UpdateItemInput) {
  const item = await loadItem(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await assertPhaseEditable(tx, item.rolloutId, item.phaseId);
    if (input.phaseId !== item.phaseId) await assertPhaseEditable(tx, item.rolloutId, input.phaseId);
    const fields = await resolveItem(tx, item.rolloutId, input);
    const moved = fields.list !== item.list || fields.phaseId !== item.phaseId;
    const position = moved ? await nextItemPosition(tx, item.rolloutId, fields.list, fields.phaseId) : item.position;
    const { count } = await tx.checklistItem.updateMany({ where: { id: item.id, version: input.version }, data: { ...fields, position, version: { increment: 1 } } });
    if (count === 0) stale(await tx.checklistItem.findUnique({ where: { id: item.id } }));
    await audit(tx, actor, item.rolloutId, "item", "updated", { type: "ChecklistItem", id: item.id }, itemFields(item), fields);
    return tx.checklistItem.findUniqueOrThrow({ where: { id: item.id } });
  });
}

export async function moveItem(actor: Actor, input: MoveInput) {
  const item = await loadItem(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await assertPhaseEditable(tx, item.rolloutId, item.phaseId);
    const neighbour = await tx.checklistItem.findFirst({
      where: { rolloutId: item.rolloutId, list: item.list, phaseId: item.phaseId, position: input.direction === "up" ? { lt: item.position } : { gt: item.position } },
      orderBy: { position: input.direction === "up" ? "desc" : "asc" },
    });
    if (!neighbour) throw new AppError("CONFLICT", { key: "errors.plan.cannotMove", values: { direction: input.direction } });
    const { count } = await tx.checklistItem.updateMany({ where: { id: item.id, version: input.version }, data: { position: neighbour.position, version: { increment: 1 } } });
    if (count === 0) stale(await tx.checklistItem.findUnique({ where: { id: item.id } }));
    await tx.checklistItem.update({ where: { id: neighbour.id }, data: { position: item.position, version: { increment: 1 } } });
    await audit(tx, actor, item.rolloutId, "item", "moved", { type: "ChecklistItem", id: item.id }, { position: item.position }, { position: neighbour.position });
    return tx.checklistItem.findUniqueOrThrow({ where: { id: item.id } });
  });
}

/** Removes an item nobody has ticked yet. */
export async function deleteItem(actor: Actor, input: DeleteInput) {
  const item = await loadItem(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await assertPhaseEditable(tx, item.rolloutId, item.phaseId);
    const current = await tx.checklistItem.findUnique({ where: { id: item.id } });
    if (!current || current.version !== input.version) stale(current);
    if (current.state !== "OPEN") throw new AppError("CONFLICT", { key: "errors.plan.itemRecorded", values: { text: current.text } });
    const { count } = await tx.checklistItem.deleteMany({ where: { id: item.id, version: input.version, state: "OPEN" } });
    if (count === 0) stale(await tx.checklistItem.findUnique({ where: { id: item.id } }));
    await audit(tx, actor, item.rolloutId, "item", "deleted", { type: "ChecklistItem", id: item.id }, itemFields(item));
    return { id: item.id };
  });
}

// --- sign-offs --------------------------------------------------------------------------

type SignOffFields = {
  title: string;
  kind: CreateSignOffInput["kind"];
  phaseId: string | null;
  description: string | null;
  requiredRoles: Role[];
  requiredCustomRoleIds: string[];
  everyRole: boolean;
  approvalsNeeded: number;
  dueAt: Date | null;
  amountCents: bigint | null;
  currency: string | null;
  requiredForGate: boolean;
};
const signOffFields = (s: SignOffFields): SignOffFields => ({
  title: s.title,
  kind: s.kind,
  phaseId: s.phaseId,
  description: s.description,
  requiredRoles: s.requiredRoles,
  requiredCustomRoleIds: s.requiredCustomRoleIds,
  everyRole: s.everyRole,
  approvalsNeeded: s.approvalsNeeded,
  dueAt: s.dueAt,
  amountCents: s.amountCents,
  currency: s.currency,
  requiredForGate: s.requiredForGate,
});

/** Approver roles resolved within the rollout; each must have the right to decide. */
async function resolveSignOff(tx: Tx, rolloutId: string, input: CreateSignOffInput | UpdateSignOffInput): Promise<SignOffFields> {
  const requiredRoles: Role[] = [];
  const requiredCustomRoleIds: string[] = [];
  for (const key of input.approvers) {
    const ref = await resolveRoleKey(tx, rolloutId, key);
    if (!can([ref.role], "signoff.decide")) {
      const name = ref.customRoleId ? (await tx.rolloutRole.findUniqueOrThrow({ where: { id: ref.customRoleId } })).name : ref.role;
      throw new AppError("INVALID_INPUT", { key: "errors.plan.approverCannotDecide", values: { role: name } });
    }
    if (ref.customRoleId) requiredCustomRoleIds.push(ref.customRoleId);
    else requiredRoles.push(ref.role);
  }
  const everyRole = input.rule === "every";
  return signOffFields({
    ...input,
    requiredRoles,
    requiredCustomRoleIds,
    everyRole,
    // "Every listed role" needs at least one approval per role.
    approvalsNeeded: everyRole ? Math.max(input.approvalsNeeded, input.approvers.length) : input.approvalsNeeded,
    amountCents: input.amount,
    currency: input.amount === null ? null : (input.currency ?? "USD"),
  });
}

export async function createSignOff(actor: Actor, input: CreateSignOffInput) {
  await assertCan(actor, input.rolloutId, "plan.edit");
  return getDb().$transaction(async (tx) => {
    await assertPhaseEditable(tx, input.rolloutId, input.phaseId);
    const fields = await resolveSignOff(tx, input.rolloutId, input);
    const last = await tx.signOff.findFirst({ where: { rolloutId: input.rolloutId }, orderBy: { position: "desc" }, select: { position: true } });
    const signOff = await tx.signOff.create({ data: { rolloutId: input.rolloutId, position: (last?.position ?? -1) + 1, ...fields } });
    await audit(tx, actor, input.rolloutId, "signOff", "created", { type: "SignOff", id: signOff.id }, undefined, fields);
    return signOff;
  });
}

async function loadSignOff(actor: Actor, signOffId: string) {
  const signOff = await getDb().signOff.findUnique({ where: { id: signOffId } });
  if (!signOff) notFound();
  await assertCan(actor, signOff.rolloutId, "plan.edit");
  return signOff;
}

/** Edits a sign-off; its status follows its (possibly new) approval rule at once. */
export async function updateSignOff(actor: Actor, input: UpdateSignOffInput) {
  const signOff = await loadSignOff(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await assertPhaseEditable(tx, signOff.rolloutId, signOff.phaseId);
    if (input.phaseId !== signOff.phaseId) await assertPhaseEditable(tx, signOff.rolloutId, input.phaseId);
    const fields = await resolveSignOff(tx, signOff.rolloutId, input);
    await tx.$queryRaw`SELECT id FROM "SignOff" WHERE id = ${signOff.id} FOR UPDATE`;
    const decisions = await tx.signOffDecision.findMany({ where: { signOffId: signOff.id } });
    const { status } = evaluateQuorum(fields, decisions);
    const { count } = await tx.signOff.updateMany({ where: { id: signOff.id, version: input.version }, data: { ...fields, status, version: { increment: 1 } } });
    if (count === 0) stale(await tx.signOff.findUnique({ where: { id: signOff.id } }));
    await audit(tx, actor, signOff.rolloutId, "signOff", "updated", { type: "SignOff", id: signOff.id }, { ...signOffFields(signOff), status: signOff.status }, { ...fields, status });
    return tx.signOff.findUniqueOrThrow({ where: { id: signOff.id } });
  });
}

/** Removes a sign-off nobody has decided yet. */
export async function deleteSignOff(actor: Actor, input: DeleteInput) {
  const signOff = await loadSignOff(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await assertPhaseEditable(tx, signOff.rolloutId, signOff.phaseId);
    await tx.$queryRaw`SELECT id FROM "SignOff" WHERE id = ${signOff.id} FOR UPDATE`;
    if ((await tx.signOffDecision.count({ where: { signOffId: signOff.id } })) > 0) {
      throw new AppError("CONFLICT", { key: "errors.plan.signOffDecided", values: { title: signOff.title } });
    }
    const { count } = await tx.signOff.deleteMany({ where: { id: signOff.id, version: input.version } });
    if (count === 0) stale(await tx.signOff.findUnique({ where: { id: signOff.id } }));
    await audit(tx, actor, signOff.rolloutId, "signOff", "deleted", { type: "SignOff", id: signOff.id }, signOffFields(signOff));
    return { id: signOff.id };
  });
}

// --- documents --------------------------------------------------------------------------

/** A path in the repository, or a web address. */
function documentFields(input: { title: string; path: string | null; body: string | null }) {
  const isUrl = input.path !== null && /^https?:\/\//i.test(input.path);
  return { title: input.title, path: isUrl ? null : input.path, url: isUrl ? input.path : null, body: input.body };
}

export async function createDocument(actor: Actor, input: CreateDocumentInput) {
  await assertCan(actor, input.rolloutId, "plan.edit");
  return getDb().$transaction(async (tx) => {
    const fields = documentFields(input);
    const key = `doc-${randomBytes(6).toString("hex")}`;
    const document = await tx.document.create({ data: { rolloutId: input.rolloutId, key, summary: [], ...fields } });
    await audit(tx, actor, input.rolloutId, "document", "created", { type: "Document", id: document.id }, undefined, fields);
    return document;
  });
}

async function loadDocument(actor: Actor, documentId: string) {
  const document = await getDb().document.findUnique({ where: { id: documentId } });
  if (!document) notFound();
  await assertCan(actor, document.rolloutId, "plan.edit");
  return document;
}

export async function updateDocument(actor: Actor, input: UpdateDocumentInput) {
  const document = await loadDocument(actor, input.id);
  return getDb().$transaction(async (tx) => {
    const fields = documentFields(input);
    const { count } = await tx.document.updateMany({ where: { id: document.id, version: input.version }, data: { ...fields, version: { increment: 1 } } });
    if (count === 0) stale(await tx.document.findUnique({ where: { id: document.id } }));
    const before = { title: document.title, path: document.path, url: document.url, body: document.body };
    await audit(tx, actor, document.rolloutId, "document", "updated", { type: "Document", id: document.id }, before, fields);
    return tx.document.findUniqueOrThrow({ where: { id: document.id } });
  });
}

/** Removes a document and its reading-list entries (both on record). */
export async function deleteDocument(actor: Actor, input: DeleteInput) {
  const document = await loadDocument(actor, input.id);
  return getDb().$transaction(async (tx) => {
    const entries = await tx.readingListEntry.count({ where: { documentId: document.id } });
    const { count } = await tx.document.deleteMany({ where: { id: document.id, version: input.version } });
    if (count === 0) stale(await tx.document.findUnique({ where: { id: document.id } }));
    await audit(tx, actor, document.rolloutId, "document", "deleted", { type: "Document", id: document.id }, { title: document.title, path: document.path, url: document.url, readingEntries: entries });
    return { id: document.id };
  });
}

// --- reading lists ----------------------------------------------------------------------

export async function createReadingEntry(actor: Actor, input: CreateReadingEntryInput) {
  await assertCan(actor, input.rolloutId, "plan.edit");
  return getDb().$transaction(async (tx) => {
    const ref = await resolveRoleKey(tx, input.rolloutId, input.role);
    const document = await tx.document.findFirst({ where: { id: input.documentId, rolloutId: input.rolloutId }, select: { id: true, title: true } });
    if (!document) throw new AppError("INVALID_INPUT", { key: "errors.plan.wrongRollout" });
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`reading:${input.rolloutId}`}))`;
    const last = await tx.readingListEntry.findFirst({ where: { rolloutId: input.rolloutId, role: ref.role, customRoleId: ref.customRoleId }, orderBy: { position: "desc" }, select: { position: true } });
    const entry = await tx.readingListEntry.create({
      data: { rolloutId: input.rolloutId, role: ref.role, customRoleId: ref.customRoleId, documentId: document.id, position: (last?.position ?? -1) + 1, minutes: input.minutes, sectionHint: input.sectionHint },
    });
    await audit(tx, actor, input.rolloutId, "reading", "created", { type: "ReadingListEntry", id: entry.id }, undefined, {
      role: ref.role,
      customRoleId: ref.customRoleId,
      document: document.title,
      position: entry.position,
      minutes: entry.minutes,
      sectionHint: entry.sectionHint,
    });
    return entry;
  });
}

async function loadEntry(actor: Actor, entryId: string) {
  const entry = await getDb().readingListEntry.findUnique({ where: { id: entryId }, include: { document: { select: { title: true } } } });
  if (!entry) notFound();
  await assertCan(actor, entry.rolloutId, "plan.edit");
  return entry;
}

export async function updateReadingEntry(actor: Actor, input: UpdateReadingEntryInput) {
  const entry = await loadEntry(actor, input.id);
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.readingListEntry.updateMany({
      where: { id: entry.id, version: input.version },
      data: { minutes: input.minutes, sectionHint: input.sectionHint, version: { increment: 1 } },
    });
    if (count === 0) stale(await tx.readingListEntry.findUnique({ where: { id: entry.id } }));
    await audit(tx, actor, entry.rolloutId, "reading", "updated", { type: "ReadingListEntry", id: entry.id }, { minutes: entry.minutes, sectionHint: entry.sectionHint }, { minutes: input.minutes, sectionHint: input.sectionHint });
    return tx.readingListEntry.findUniqueOrThrow({ where: { id: entry.id } });
  });
}

export async function moveReadingEntry(actor: Actor, input: MoveInput) {
  const entry = await loadEntry(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`reading:${entry.rolloutId}`}))`;
    const neighbour = await tx.readingListEntry.findFirst({
      where: { rolloutId: entry.rolloutId, roleKey: entry.roleKey, position: input.direction === "up" ? { lt: entry.position } : { gt: entry.position } },
      orderBy: { position: input.direction === "up" ? "desc" : "asc" },
    });
    if (!neighbour) throw new AppError("CONFLICT", { key: "errors.plan.cannotMove", values: { direction: input.direction } });
    const { count } = await tx.readingListEntry.updateMany({ where: { id: entry.id, version: input.version }, data: { position: -1, version: { increment: 1 } } });
    if (count === 0) stale(await tx.readingListEntry.findUnique({ where: { id: entry.id } }));
    await tx.readingListEntry.update({ where: { id: neighbour.id }, data: { position: entry.position, version: { increment: 1 } } });
    await tx.readingListEntry.update({ where: { id: entry.id }, data: { position: neighbour.position } });
    await audit(tx, actor, entry.rolloutId, "reading", "moved", { type: "ReadingListEntry", id: entry.id }, { position: entry.position }, { position: neighbour.position });
    return tx.readingListEntry.findUniqueOrThrow({ where: { id: entry.id } });
  });
}

export async function deleteReadingEntry(actor: Actor, input: DeleteInput) {
  const entry = await loadEntry(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`reading:${entry.rolloutId}`}))`;
    const { count } = await tx.readingListEntry.deleteMany({ where: { id: entry.id, version: input.version } });
    if (count === 0) stale(await tx.readingListEntry.findUnique({ where: { id: entry.id } }));
    const later = await tx.readingListEntry.findMany({ where: { rolloutId: entry.rolloutId, roleKey: entry.roleKey, position: { gt: entry.position } }, orderBy: { position: "asc" }, select: { id: true, position: true } });
    for (const e of later) await tx.readingListEntry.update({ where: { id: e.id }, data: { position: e.position - 1, version: { increment: 1 } } });
    await audit(tx, actor, entry.rolloutId, "reading", "deleted", { type: "ReadingListEntry", id: entry.id }, {
      role: entry.role,
      customRoleId: entry.customRoleId,
      document: entry.document.title,
      position: entry.position,
      minutes: entry.minutes,
    });
    return { id: entry.id };
  });
}

// --- success criteria and their groups --------------------------------------------------
// A verification is a record: a verified criterion (or a group holding one) is never
// deleted; mark it not verified first (on record, on the criteria page).

export async function createCriterionGroup(actor: Actor, input: CreateCriterionGroupInput) {
  await assertCan(actor, input.rolloutId, "plan.edit");
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`criterion-groups:${input.rolloutId}`}))`;
    const last = await tx.criterionGroup.findFirst({ where: { rolloutId: input.rolloutId }, orderBy: { position: "desc" }, select: { position: true } });
    const group = await tx.criterionGroup.create({ data: { rolloutId: input.rolloutId, name: input.name, position: (last?.position ?? -1) + 1 } });
    await audit(tx, actor, input.rolloutId, "criterionGroup", "created", { type: "CriterionGroup", id: group.id }, undefined, { name: group.name, position: group.position });
    return group;
  });
}

async function loadCriterionGroup(actor: Actor, groupId: string) {
  const group = await getDb().criterionGroup.findUnique({ where: { id: groupId } });
  if (!group) notFound();
  await assertCan(actor, group.rolloutId, "plan.edit");
  return group;
}

export async function renameCriterionGroup(actor: Actor, input: RenameCriterionGroupInput) {
  const group = await loadCriterionGroup(actor, input.id);
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.criterionGroup.updateMany({ where: { id: group.id, version: input.version }, data: { name: input.name, version: { increment: 1 } } });
    if (count === 0) stale(await tx.criterionGroup.findUnique({ where: { id: group.id } }));
    await audit(tx, actor, group.rolloutId, "criterionGroup", "updated", { type: "CriterionGroup", id: group.id }, { name: group.name }, { name: input.name });
    return tx.criterionGroup.findUniqueOrThrow({ where: { id: group.id } });
  });
}

export async function moveCriterionGroup(actor: Actor, input: MoveInput) {
  const group = await loadCriterionGroup(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`criterion-groups:${group.rolloutId}`}))`;
    const neighbour = await tx.criterionGroup.findFirst({
      where: { rolloutId: group.rolloutId, position: input.direction === "up" ? { lt: group.position } : { gt: group.position } },
      orderBy: { position: input.direction === "up" ? "desc" : "asc" },
    });
    if (!neighbour) throw new AppError("CONFLICT", { key: "errors.plan.cannotMove", values: { direction: input.direction } });
    const { count } = await tx.criterionGroup.updateMany({ where: { id: group.id, version: input.version }, data: { position: -1, version: { increment: 1 } } });
    if (count === 0) stale(await tx.criterionGroup.findUnique({ where: { id: group.id } }));
    await tx.criterionGroup.update({ where: { id: neighbour.id }, data: { position: group.position, version: { increment: 1 } } });
    await tx.criterionGroup.update({ where: { id: group.id }, data: { position: neighbour.position } });
    await audit(tx, actor, group.rolloutId, "criterionGroup", "moved", { type: "CriterionGroup", id: group.id }, { name: group.name, position: group.position }, { name: group.name, position: neighbour.position });
    return tx.criterionGroup.findUniqueOrThrow({ where: { id: group.id } });
  });
}

/** Removes a group with its criteria, unless one of them is verified. */
export async function deleteCriterionGroup(actor: Actor, input: DeleteInput) {
  const group = await loadCriterionGroup(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`criterion-groups:${group.rolloutId}`}))`;
    await tx.$queryRaw`SELECT id FROM "CriterionGroup" WHERE id = ${group.id} FOR UPDATE`;
    const current = await tx.criterionGroup.findUnique({ where: { id: group.id } });
    if (!current || current.version !== input.version) stale(current);
    // Lock the group's criteria so that a verification cannot slip in before the delete.
    const criteria = await tx.$queryRaw<{ text: string; verifiedAt: Date | null }[]>`
      SELECT text, "verifiedAt" FROM "SuccessCriterion" WHERE "groupId" = ${group.id} ORDER BY position FOR UPDATE`;
    const verified = criteria.filter((c) => c.verifiedAt !== null).length;
    if (verified > 0) throw new AppError("CONFLICT", { key: "errors.plan.groupHasVerified", values: { name: current.name, count: verified } });
    await tx.criterionGroup.delete({ where: { id: group.id } });
    await audit(tx, actor, group.rolloutId, "criterionGroup", "deleted", { type: "CriterionGroup", id: group.id }, { name: current.name, position: current.position, criteria: criteria.map((c) => c.text) });
    return { id: group.id };
  });
}

async function groupIn(tx: Tx, rolloutId: string, groupId: string) {
  const group = await tx.criterionGroup.findFirst({ where: { id: groupId, rolloutId }, select: { id: true, name: true } });
  if (!group) throw new AppError("INVALID_INPUT", { key: "errors.plan.wrongRollout" });
  return group;
}

async function nextCriterionPosition(tx: Tx, groupId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`criteria:${groupId}`}))`;
  const last = await tx.successCriterion.findFirst({ where: { groupId }, orderBy: { position: "desc" }, select: { position: true } });
  return (last?.position ?? -1) + 1;
}

export async function createCriterion(actor: Actor, input: CreateCriterionInput) {
  await assertCan(actor, input.rolloutId, "plan.edit");
  return getDb().$transaction(async (tx) => {
    const group = await groupIn(tx, input.rolloutId, input.groupId);
    const criterion = await tx.successCriterion.create({ data: { rolloutId: input.rolloutId, groupId: group.id, text: input.text, position: await nextCriterionPosition(tx, group.id) } });
    await audit(tx, actor, input.rolloutId, "criterion", "created", { type: "SuccessCriterion", id: criterion.id }, undefined, { text: criterion.text, group: group.name });
    return criterion;
  });
}

async function loadCriterion(actor: Actor, criterionId: string) {
  const criterion = await getDb().successCriterion.findUnique({ where: { id: criterionId }, include: { group: { select: { name: true } } } });
  if (!criterion) notFound();
  await assertCan(actor, criterion.rolloutId, "plan.edit");
  return criterion;
}

/** Edits a criterion's text; another group moves it to the end of that group. Its verification stays. */
export async function updateCriterion(actor: Actor, input: UpdateCriterionInput) {
  const criterion = await loadCriterion(actor, input.id);
  return getDb().$transaction(async (tx) => {
    const group = await groupIn(tx, criterion.rolloutId, input.groupId);
    const moved = group.id !== criterion.groupId;
    const position = moved ? await nextCriterionPosition(tx, group.id) : criterion.position;
    const { count } = await tx.successCriterion.updateMany({ where: { id: criterion.id, version: input.version }, data: { text: input.text, groupId: group.id, position, version: { increment: 1 } } });
    if (count === 0) stale(await tx.successCriterion.findUnique({ where: { id: criterion.id } }));
    await audit(tx, actor, criterion.rolloutId, "criterion", moved ? "moved" : "updated", { type: "SuccessCriterion", id: criterion.id }, { text: criterion.text, group: criterion.group.name }, { text: input.text, group: group.name });
    return tx.successCriterion.findUniqueOrThrow({ where: { id: criterion.id } });
  });
}

export async function moveCriterion(actor: Actor, input: MoveInput) {
  const criterion = await loadCriterion(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`criteria:${criterion.groupId}`}))`;
    const neighbour = await tx.successCriterion.findFirst({
      where: { groupId: criterion.groupId, position: input.direction === "up" ? { lt: criterion.position } : { gt: criterion.position } },
      orderBy: { position: input.direction === "up" ? "desc" : "asc" },
    });
    if (!neighbour) throw new AppError("CONFLICT", { key: "errors.plan.cannotMove", values: { direction: input.direction } });
    const { count } = await tx.successCriterion.updateMany({ where: { id: criterion.id, version: input.version }, data: { position: -1, version: { increment: 1 } } });
    if (count === 0) stale(await tx.successCriterion.findUnique({ where: { id: criterion.id } }));
    await tx.successCriterion.update({ where: { id: neighbour.id }, data: { position: criterion.position, version: { increment: 1 } } });
    await tx.successCriterion.update({ where: { id: criterion.id }, data: { position: neighbour.position } });
    await audit(tx, actor, criterion.rolloutId, "criterion", "moved", { type: "SuccessCriterion", id: criterion.id }, { text: criterion.text, position: criterion.position }, { text: criterion.text, position: neighbour.position });
    return tx.successCriterion.findUniqueOrThrow({ where: { id: criterion.id } });
  });
}

/** Removes a criterion nobody has verified (a verification is a record: remove it first, on record). */
export async function deleteCriterion(actor: Actor, input: DeleteInput) {
  const criterion = await loadCriterion(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "SuccessCriterion" WHERE id = ${criterion.id} FOR UPDATE`;
    const current = await tx.successCriterion.findUnique({ where: { id: criterion.id } });
    if (!current || current.version !== input.version) stale(current);
    if (current.verifiedAt !== null) throw new AppError("CONFLICT", { key: "errors.plan.criterionVerified", values: { text: current.text } });
    await tx.successCriterion.delete({ where: { id: criterion.id } });
    await audit(tx, actor, criterion.rolloutId, "criterion", "deleted", { type: "SuccessCriterion", id: criterion.id }, { text: current.text, group: criterion.group.name, position: current.position });
    return { id: criterion.id };
  });
}

// --- contacts ---------------------------------------------------------------------------

async function contactFields(tx: Tx, rolloutId: string, input: CreateContactInput | UpdateContactInput) {
  const ref = await resolveRoleKey(tx, rolloutId, input.role);
  return { topic: input.topic, role: ref.role, customRoleId: ref.customRoleId, roleLabel: input.roleLabel, notes: input.notes };
}
const contactRecord = (c: { topic: string; role: Role; customRoleId: string | null; roleLabel: string | null; notes: string | null }) => ({
  topic: c.topic,
  role: c.role,
  customRoleId: c.customRoleId,
  roleLabel: c.roleLabel,
  notes: c.notes,
});

export async function createContact(actor: Actor, input: CreateContactInput) {
  await assertCan(actor, input.rolloutId, "plan.edit");
  return getDb().$transaction(async (tx) => {
    const fields = await contactFields(tx, input.rolloutId, input);
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`contacts:${input.rolloutId}`}))`;
    const last = await tx.contact.findFirst({ where: { rolloutId: input.rolloutId }, orderBy: { position: "desc" }, select: { position: true } });
    const contact = await tx.contact.create({ data: { rolloutId: input.rolloutId, position: (last?.position ?? -1) + 1, ...fields } });
    await audit(tx, actor, input.rolloutId, "contact", "created", { type: "Contact", id: contact.id }, undefined, fields);
    return contact;
  });
}

async function loadContact(actor: Actor, contactId: string) {
  const contact = await getDb().contact.findUnique({ where: { id: contactId } });
  if (!contact) notFound();
  await assertCan(actor, contact.rolloutId, "plan.edit");
  return contact;
}

export async function updateContact(actor: Actor, input: UpdateContactInput) {
  const contact = await loadContact(actor, input.id);
  return getDb().$transaction(async (tx) => {
    const fields = await contactFields(tx, contact.rolloutId, input);
    const { count } = await tx.contact.updateMany({ where: { id: contact.id, version: input.version }, data: { ...fields, version: { increment: 1 } } });
    if (count === 0) stale(await tx.contact.findUnique({ where: { id: contact.id } }));
    await audit(tx, actor, contact.rolloutId, "contact", "updated", { type: "Contact", id: contact.id }, contactRecord(contact), fields);
    return tx.contact.findUniqueOrThrow({ where: { id: contact.id } });
  });
}

export async function moveContact(actor: Actor, input: MoveInput) {
  const contact = await loadContact(actor, input.id);
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`contacts:${contact.rolloutId}`}))`;
    const neighbour = await tx.contact.findFirst({
      where: { rolloutId: contact.rolloutId, position: input.direction === "up" ? { lt: contact.position } : { gt: contact.position } },
      orderBy: { position: input.direction === "up" ? "desc" : "asc" },
    });
    if (!neighbour) throw new AppError("CONFLICT", { key: "errors.plan.cannotMove", values: { direction: input.direction } });
    const { count } = await tx.contact.updateMany({ where: { id: contact.id, version: input.version }, data: { position: -1, version: { increment: 1 } } });
    if (count === 0) stale(await tx.contact.findUnique({ where: { id: contact.id } }));
    await tx.contact.update({ where: { id: neighbour.id }, data: { position: contact.position, version: { increment: 1 } } });
    await tx.contact.update({ where: { id: contact.id }, data: { position: neighbour.position } });
    await audit(tx, actor, contact.rolloutId, "contact", "moved", { type: "Contact", id: contact.id }, { topic: contact.topic, position: contact.position }, { topic: contact.topic, position: neighbour.position });
    return tx.contact.findUniqueOrThrow({ where: { id: contact.id } });
  });
}

export async function deleteContact(actor: Actor, input: DeleteInput) {
  const contact = await loadContact(actor, input.id);
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.contact.deleteMany({ where: { id: contact.id, version: input.version } });
    if (count === 0) stale(await tx.contact.findUnique({ where: { id: contact.id } }));
    await audit(tx, actor, contact.rolloutId, "contact", "deleted", { type: "Contact", id: contact.id }, { ...contactRecord(contact), position: contact.position });
    return { id: contact.id };
  });
}

// --- milestones -------------------------------------------------------------------------
// Milestones are ordered by their dates; `position` breaks ties in the order they were added.

async function milestoneFields(tx: Tx, rolloutId: string, input: CreateMilestoneInput | UpdateMilestoneInput) {
  if (input.phaseId) {
    const phase = await tx.phase.findFirst({ where: { id: input.phaseId, rolloutId }, select: { id: true } });
    if (!phase) throw new AppError("INVALID_INPUT", { key: "errors.plan.wrongRollout" });
  }
  return { label: input.label, startsAt: input.startsAt, endsAt: input.endsAt, phaseId: input.phaseId, details: input.details };
}
const milestoneRecord = (m: { label: string; startsAt: Date; endsAt: Date | null; phaseId: string | null; details: string[] }) => ({
  label: m.label,
  startsAt: m.startsAt,
  endsAt: m.endsAt,
  phaseId: m.phaseId,
  details: m.details,
});

export async function createMilestone(actor: Actor, input: CreateMilestoneInput) {
  await assertCan(actor, input.rolloutId, "plan.edit");
  return getDb().$transaction(async (tx) => {
    const fields = await milestoneFields(tx, input.rolloutId, input);
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`milestones:${input.rolloutId}`}))`;
    const last = await tx.milestone.findFirst({ where: { rolloutId: input.rolloutId }, orderBy: { position: "desc" }, select: { position: true } });
    const key = `milestone-${randomBytes(6).toString("hex")}`;
    const milestone = await tx.milestone.create({ data: { rolloutId: input.rolloutId, key, position: (last?.position ?? -1) + 1, ...fields } });
    await audit(tx, actor, input.rolloutId, "milestone", "created", { type: "Milestone", id: milestone.id }, undefined, fields);
    return milestone;
  });
}

async function loadMilestone(actor: Actor, milestoneId: string) {
  const milestone = await getDb().milestone.findUnique({ where: { id: milestoneId } });
  if (!milestone) notFound();
  await assertCan(actor, milestone.rolloutId, "plan.edit");
  return milestone;
}

export async function updateMilestone(actor: Actor, input: UpdateMilestoneInput) {
  const milestone = await loadMilestone(actor, input.id);
  return getDb().$transaction(async (tx) => {
    const fields = await milestoneFields(tx, milestone.rolloutId, input);
    const { count } = await tx.milestone.updateMany({ where: { id: milestone.id, version: input.version }, data: { ...fields, version: { increment: 1 } } });
    if (count === 0) stale(await tx.milestone.findUnique({ where: { id: milestone.id } }));
    await audit(tx, actor, milestone.rolloutId, "milestone", "updated", { type: "Milestone", id: milestone.id }, milestoneRecord(milestone), fields);
    return tx.milestone.findUniqueOrThrow({ where: { id: milestone.id } });
  });
}

export async function deleteMilestone(actor: Actor, input: DeleteInput) {
  const milestone = await loadMilestone(actor, input.id);
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.milestone.deleteMany({ where: { id: milestone.id, version: input.version } });
    if (count === 0) stale(await tx.milestone.findUnique({ where: { id: milestone.id } }));
    await audit(tx, actor, milestone.rolloutId, "milestone", "deleted", { type: "Milestone", id: milestone.id }, milestoneRecord(milestone));
    return { id: milestone.id };
  });
}

// --- the editor's read ------------------------------------------------------------------

/** Everything the editor shows of one rollout's plan, for someone who may edit it. Bounded: the membership lookup, then ten queries in parallel (eleven statements: the criteria come with their groups). */
/**
 * Everything the plan editor shows, in one statement after the membership check: the
 * rollout with its phases, items, sign-offs (with how many decisions each has), documents,
 * reading list, active members, criterion groups with their criteria, contacts and
 * milestones, loaded by joins (Prisma's `relationJoins`) rather than a read per section.
 */
export async function loadPlanForEditing(actor: Actor, rolloutId: string) {
  await assertCan(actor, rolloutId, "plan.edit");
  const plan = await getDb().rollout.findUniqueOrThrow({
    where: { id: rolloutId },
    select: {
      id: true,
      slug: true,
      name: true,
      phases: { orderBy: { position: "asc" } },
      items: { orderBy: [{ list: "asc" }, { phase: { position: "asc" } }, { position: "asc" }] },
      signOffs: { orderBy: { position: "asc" }, include: { _count: { select: { decisions: true } } } },
      documents: { orderBy: { title: "asc" }, select: { id: true, title: true, path: true, url: true, body: true, version: true } },
      readingList: { orderBy: [{ roleKey: "asc" }, { position: "asc" }], include: { document: { select: { title: true } } } },
      members: { where: { user: { active: true } }, select: { user: { select: { id: true, name: true } } } },
      criterionGroups: { orderBy: { position: "asc" }, include: { criteria: { orderBy: { position: "asc" } } } },
      contacts: { orderBy: { position: "asc" } },
      milestones: { orderBy: [{ startsAt: "asc" }, { position: "asc" }] },
    },
  });
  const { phases, items, signOffs, documents, readingList: reading, members, criterionGroups, contacts, milestones } = plan;
  // A person holding several roles is one member row per role: listed once.
  const people = [...new Map(members.map((m) => [m.user.id, m.user])).values()].sort((a, b) => a.name.localeCompare(b.name));
  return { rollout: { id: plan.id, slug: plan.slug, name: plan.name }, phases, items, signOffs, documents, reading, criterionGroups, contacts, milestones, people };
}

export type PlanForEditing = Awaited<ReturnType<typeof loadPlanForEditing>>;
