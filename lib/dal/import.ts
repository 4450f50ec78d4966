import "server-only";
import { recordAudit } from "../audit/record";
import { assertCan, getInstanceRights, getMemberships } from "../auth/access";
import { can } from "../auth/permissions";
import { scopeFor, scopesAllow } from "../auth/scopes";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { Prisma } from "../generated/prisma/client";
import type { Role } from "../generated/prisma/enums";
import { writePlan, type RoleChoice } from "../import/apply";
import { DecodeError, applyLineEdits, decodePlanBytes, type DecodedPlan, type LineReport } from "../import/decode";
import { PlanImportError, readPlan, type ImportedPlan, type PlanWarningCode, type SectionKind } from "../import/markdown-plan";
import type { ConfirmImportInput, PreviewImportInput } from "../validation/import";
import { megabytes } from "../validation/import";

// Importing a plan from Markdown through the portal: who may (creating rollouts, an
// instance-wide right, for a new rollout; `plan.import` for an existing one, which must
// have nothing recorded yet), the preview, and the import itself in one transaction with
// its audit event. The preview keeps nothing: the import decodes and reads the submitted
// source again, with the person's corrections and choices.

/** A rollout to import into, as the import page shows it. */
export type ImportTarget = {
  rolloutId: string;
  slug: string;
  name: string;
  startDate: string;
  customRoles: { id: string; name: string; baseRole: Role }[];
  /** What the rollout already holds; an import is refused unless all are 0. */
  recorded: RecordedCounts;
};

export type RecordedCounts = { phases: number; items: number; signOffs: number; documents: number; criteria: number; contacts: number; milestones: number; reading: number };

type Db = Prisma.TransactionClient | ReturnType<typeof getDb>;

/** What a rollout holds, in one statement. */
async function recordedIn(db: Db, rolloutId: string): Promise<RecordedCounts> {
  const [row] = await db.$queryRaw<Record<keyof RecordedCounts, number>[]>`
    SELECT
      (SELECT count(*)::int FROM "Phase" WHERE "rolloutId" = ${rolloutId}) AS phases,
      (SELECT count(*)::int FROM "ChecklistItem" WHERE "rolloutId" = ${rolloutId}) AS items,
      (SELECT count(*)::int FROM "SignOff" WHERE "rolloutId" = ${rolloutId}) AS "signOffs",
      (SELECT count(*)::int FROM "Document" WHERE "rolloutId" = ${rolloutId}) AS documents,
      (SELECT count(*)::int FROM "SuccessCriterion" WHERE "rolloutId" = ${rolloutId}) AS criteria,
      (SELECT count(*)::int FROM "Contact" WHERE "rolloutId" = ${rolloutId}) AS contacts,
      (SELECT count(*)::int FROM "Milestone" WHERE "rolloutId" = ${rolloutId}) AS milestones,
      (SELECT count(*)::int FROM "ReadingListEntry" WHERE "rolloutId" = ${rolloutId}) AS reading`;
  return row!;
}

function isEmpty(recorded: RecordedCounts): boolean {
  return Object.values(recorded).every((n) => n === 0);
}

function assertEmpty(name: string, recorded: RecordedCounts): void {
  if (!isEmpty(recorded)) {
    throw new AppError("CONFLICT", {
      key: "errors.import.notEmpty",
      values: { rollout: name, phases: recorded.phases, items: recorded.items, signOffs: recorded.signOffs },
    });
  }
}

/** Whether the person may import a plan as a new rollout (the import page's first question). */
export async function mayImportNewRollout(actor: Actor): Promise<boolean> {
  return (await getInstanceRights(actor)).canCreateRollouts;
}

/** The rollout to import into, for its import page: `plan.import` on it is required (else not found / forbidden). */
export async function getImportTarget(actor: Actor, slug: string): Promise<ImportTarget> {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  await assertCan(actor, membership.rolloutId, "plan.import");
  const db = getDb();
  const [rollout, customRoles, recorded] = await Promise.all([
    db.rollout.findUniqueOrThrow({ where: { id: membership.rolloutId }, select: { id: true, slug: true, name: true, anchorDate: true } }),
    db.rolloutRole.findMany({ where: { rolloutId: membership.rolloutId }, select: { id: true, name: true, baseRole: true }, orderBy: { position: "asc" } }),
    recordedIn(db, membership.rolloutId),
  ]);
  return { rolloutId: rollout.id, slug: rollout.slug, name: rollout.name, startDate: rollout.anchorDate.toISOString().slice(0, 10), customRoles, recorded };
}

/** Who may import where: the instance-wide right for a new rollout, `plan.import` (and nothing recorded) for an existing one. */
async function authorize(actor: Actor, rolloutId: string | null): Promise<{ id: string; name: string; anchorDate: Date; customRoleIds: string[] } | null> {
  if (rolloutId === null) {
    if (!(await mayImportNewRollout(actor))) throw new AppError("FORBIDDEN", { key: "errors.import.createForbidden" });
    // An API token creates a rollout only with the scope that imports plans.
    if (!scopesAllow(actor.scopes, "plan.import")) throw new AppError("FORBIDDEN", { key: "errors.api.scopeMissing", values: { scope: scopeFor("plan.import") } });
    return null;
  }
  await assertCan(actor, rolloutId, "plan.import");
  const db = getDb();
  const [rollout, customRoles, recorded] = await Promise.all([
    db.rollout.findUniqueOrThrow({ where: { id: rolloutId }, select: { id: true, name: true, anchorDate: true } }),
    db.rolloutRole.findMany({ where: { rolloutId }, select: { id: true } }),
    recordedIn(db, rolloutId),
  ]);
  assertEmpty(rollout.name, recorded);
  return { ...rollout, customRoleIds: customRoles.map((r) => r.id) };
}

type Source = Pick<PreviewImportInput, "file" | "text" | "edits" | "readAs">;

/** Decodes the submitted bytes, applies the person's line corrections and reads the plan; refusals name the line. */
async function readSource(input: Source): Promise<{ decoded: DecodedPlan; plan: ImportedPlan }> {
  const bytes = input.file ? new Uint8Array(await input.file.arrayBuffer()) : new Uint8Array(Buffer.from(input.text ?? "", "utf8"));
  let decoded: DecodedPlan;
  try {
    decoded = decodePlanBytes(bytes);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    if (error.code === "tooLarge") throw new AppError("INVALID_INPUT", { key: "errors.import.tooLarge", values: { size: megabytes(bytes.length), max: "2 MB" } });
    throw new AppError("INVALID_INPUT", { key: error.code === "empty" ? "errors.import.empty" : "errors.import.binary" });
  }
  const lineCount = decoded.text.split("\n").length;
  for (const [line, value] of Object.entries(input.edits)) {
    if (Number(line) > lineCount) throw new AppError("INVALID_INPUT", { key: "errors.import.noSuchLine", values: { line: Number(line), lines: lineCount } });
    if (value.includes("\n") || value.includes("\r")) throw new AppError("INVALID_INPUT", { key: "errors.import.editSpansLines", values: { line: Number(line) } });
  }
  const text = Object.keys(input.edits).length > 0 ? applyLineEdits(decoded.text, input.edits) : decoded.text;
  let plan: ImportedPlan;
  try {
    plan = readPlan(text, { readAs: input.readAs as Record<string, SectionKind> });
  } catch (error) {
    if (!(error instanceof PlanImportError)) throw error;
    throw new AppError("INVALID_INPUT", { key: error.code === "allIgnored" ? "errors.import.allIgnored" : "errors.import.noTasks" });
  }
  const sectionIds = new Set(plan.sections.map((s) => s.id));
  for (const id of Object.keys(input.readAs)) {
    if (!sectionIds.has(id)) throw new AppError("INVALID_INPUT", { key: "errors.import.noSuchSection", values: { section: id } });
  }
  return { decoded, plan };
}

export type PreviewWarning = { line: number; message: string; code: PlanWarningCode | null; text: string | null };

/** What the preview shows: the repaired text and its marked lines, the structure found, the roles named. */
export type ImportPreview = {
  sha256: string;
  bytes: number;
  detected: string;
  /** The repaired text, before the person's corrections. */
  text: string;
  lines: LineReport[];
  title: string;
  description: string | null;
  anchorDate: string | null;
  template: ImportedPlan["template"];
  sections: { id: string; heading: string; level: number; line: number; suggested: SectionKind; kind: SectionKind; subject: string | null; count: number | null }[];
  phases: { name: string; optional: boolean; window: string | null; itemCount: number; done: number; items: { text: string; done: boolean; optional: boolean }[] }[];
  immediate: number;
  roleActions: { role: string; count: number }[];
  reading: { role: string; entries: { path: string; minutes: number }[] }[];
  criteria: { group: string; count: number }[];
  contacts: { topic: string; role: string }[];
  milestones: { label: string; startOffset: number; endOffset: number | null }[];
  signOffs: { title: string; roles: string[] }[];
  documents: number;
  roles: { label: string; suggested: Role | null }[];
  warnings: PreviewWarning[];
};

const ITEMS_SHOWN = 50;

function previewOf(decoded: DecodedPlan, plan: ImportedPlan): ImportPreview {
  const counts = new Map<string, number>();
  for (const p of plan.phases) counts.set(p.sectionId, p.items.length);
  for (const r of plan.roleActions) counts.set(r.sectionId, r.items.length);
  for (const r of plan.reading) counts.set(r.sectionId, r.entries.length);
  for (const c of plan.criteria) counts.set(c.sectionId, c.items.length);
  return {
    sha256: decoded.sha256,
    bytes: decoded.bytes,
    detected: decoded.detected,
    text: decoded.text,
    lines: decoded.lines,
    title: plan.title,
    description: plan.description,
    anchorDate: plan.anchorDate,
    template: plan.template,
    sections: plan.sections.map((s) => ({ id: s.id, heading: s.heading, level: s.level, line: s.line, suggested: s.suggested, kind: s.kind, subject: s.subject, count: counts.get(s.id) ?? null })),
    phases: plan.phases.map((p) => ({
      name: p.name,
      optional: p.optional,
      window: p.window,
      itemCount: p.items.length,
      done: p.items.filter((i) => i.done).length,
      items: p.items.slice(0, ITEMS_SHOWN).map((i) => ({ text: i.text, done: i.done, optional: i.optional })),
    })),
    immediate: plan.immediate.length,
    roleActions: plan.roleActions.map((r) => ({ role: r.role, count: r.items.length })),
    reading: plan.reading.map((r) => ({ role: r.role, entries: r.entries.map((e) => ({ path: e.path, minutes: e.minutes })) })),
    criteria: plan.criteria.map((c) => ({ group: c.group, count: c.items.length })),
    contacts: plan.contacts.map((c) => ({ topic: c.topic, role: c.role })),
    milestones: plan.milestones.map((m) => ({ label: m.label, startOffset: m.startOffset, endOffset: m.endOffset })),
    signOffs: plan.signOffs.map((s) => ({ title: s.title, roles: s.roles })),
    documents: plan.documents.length,
    roles: plan.roles,
    warnings: plan.warnings.map((w) => ({ line: w.line, message: w.message, code: w.code ?? null, text: w.text ?? null })),
  };
}

/** Reads the submitted plan for the preview; writes nothing. */
export async function previewPlanImport(actor: Actor, input: PreviewImportInput): Promise<ImportPreview> {
  await authorize(actor, input.rolloutId);
  const { decoded, plan } = await readSource(input);
  return previewOf(decoded, plan);
}

function slugTaken(error: unknown, slug: string): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new AppError("CONFLICT", { key: "errors.rollouts.slugTaken", values: { slug } });
  }
  throw error;
}

/**
 * Imports the submitted plan: decoded and read again from the source, with the person's
 * corrections and choices, then written in one transaction with one `plan.imported`
 * audit event (the file's SHA-256, the choices, the counts).
 */
export async function importPlan(actor: Actor, input: ConfirmImportInput): Promise<{ slug: string; counts: Record<string, number> }> {
  const target = await authorize(actor, input.rolloutId);
  const { decoded, plan } = await readSource(input);
  const labels = new Set(plan.roles.map((r) => r.label));
  const roleMap = input.roles as Record<string, RoleChoice>;
  for (const [label, choice] of Object.entries(roleMap)) {
    if (!labels.has(label)) throw new AppError("INVALID_INPUT", { key: "errors.import.noSuchRole", values: { role: label } });
    if ("customRoleId" in choice && !target?.customRoleIds.includes(choice.customRoleId)) {
      throw new AppError("INVALID_INPUT", { key: "errors.import.noSuchCustomRole", values: { role: label } });
    }
  }
  const db = getDb();
  const anchor = target ? target.anchorDate : input.startDate!;
  const slug = target ? (await db.rollout.findUniqueOrThrow({ where: { id: target.id }, select: { slug: true } })).slug : input.slug!;
  const choices = {
    readAs: input.readAs,
    roleMap,
    lineEdits: input.edits,
    encoding: decoded.detected,
    ...(target ? {} : { name: input.name ?? plan.title, startDate: anchor.toISOString().slice(0, 10) }),
  };
  try {
    return await db.$transaction(
      async (tx) => {
        if (target) {
          // Checked again inside the transaction, under the rollout's row lock: someone may
          // have added to the plan since, or be importing into it at the same moment.
          await tx.$queryRaw`SELECT id FROM "Rollout" WHERE id = ${target.id} FOR UPDATE`;
          assertEmpty(target.name, await recordedIn(tx, target.id));
        }
        const result = await writePlan(tx, plan, {
          slug,
          rolloutId: target?.id,
          anchor,
          roleMap,
          importerId: actor.id,
          ...(target ? {} : { name: input.name ?? plan.title }),
        });
        await recordAudit(tx, {
          rolloutId: result.rolloutId,
          actorId: actor.id,
          action: "plan.imported",
          targetType: "Rollout",
          targetId: result.rolloutId,
          after: { sha256: decoded.sha256, bytes: decoded.bytes, slug, into: target ? "existing" : "new", template: plan.template, choices, counts: result.counts, warnings: plan.warnings.length },
        });
        return { slug, counts: result.counts };
      },
      { timeout: 120_000 },
    );
  } catch (error) {
    slugTaken(error, slug);
  }
}

/** Whether a member's roles allow importing into the rollout (display only; the writes check for themselves). */
export function mayImportInto(roles: readonly Role[]): boolean {
  return can(roles, "plan.import");
}
