import { z } from "zod";
import { id as idSchema, ID_MAX, text, version as versionSchema } from "./input";
import { RESERVED_ROLE_SLUGS } from "../domain/roles";
import { invalid, invalidText } from "../i18n/zod";

// The plan editor's inputs. Forms post strings: checkboxes arrive as "on" (or not at all),
// empty fields as "". A role is posted as its key: a built-in role's name or a custom
// role's id (the data layer resolves it within the rollout).

const id = idSchema();
// A whole number that fits the int4 column (2147483648 would overflow in Postgres).
const version = versionSchema();
const idTooLong = invalid("validation.input.idTooLong", { max: ID_MAX });

const requiredText = (max: number, field: "name" | "text" | "title" | "topic" | "label") =>
  text({ error: invalid("validation.plan.required", { field }) })
    .trim()
    .min(1, { error: invalid("validation.plan.required", { field }) })
    .max(max, { error: invalid("validation.plan.tooLong", { field, max }) });

const optionalText = (max: number, field: "goal" | "window" | "description" | "sectionHint" | "path" | "body" | "roleLabel" | "notes" | "details") =>
  text()
    .trim()
    .max(max, { error: invalid("validation.plan.tooLong", { field, max }) })
    .optional()
    .transform((v) => v || null);

const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("false"), z.boolean()])
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");

const optionalId = text()
  .trim()
  .max(ID_MAX, { error: idTooLong })
  .optional()
  .transform((v) => v || null);

const optionalDate = (field: "start" | "end" | "due") =>
  text()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(new Date(`${v}T00:00:00Z`).getTime())) {
        ctx.addIssue({ code: "custom", message: invalidText("validation.plan.date", { field }) });
        return z.NEVER;
      }
      return new Date(`${v}T00:00:00Z`);
    });

const roleKey = text({ error: invalid("validation.plan.role") }).trim().min(1, { error: invalid("validation.plan.role") }).max(ID_MAX, { error: idTooLong });
const optionalRoleKey = text()
  .trim()
  .max(ID_MAX, { error: idTooLong })
  .optional()
  .transform((v) => v || null);

const direction = z.enum(["up", "down"], { error: invalid("validation.plan.direction") });

// --- custom roles -----------------------------------------------------------------------

const roleSlug = text({ error: invalid("validation.plan.slug") })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: invalid("validation.plan.slug") })
  .max(40, { error: invalid("validation.plan.tooLong", { field: "slug", max: 40 }) })
  .refine((slug) => !RESERVED_ROLE_SLUGS.has(slug), { error: invalid("validation.plan.slugReserved") });

const BASE_ROLES = ["EXECUTIVE", "DEV_LEAD", "OPS_MANAGER", "DEVOPS", "DBA", "DATA_ENGINEER", "SECURITY_OFFICER", "FINANCE", "ADMIN", "VIEWER"] as const;

export const createCustomRoleSchema = z.object({
  rolloutId: id,
  name: requiredText(80, "name"),
  slug: roleSlug,
  baseRole: z.enum(BASE_ROLES, { error: invalid("validation.plan.baseRole") }),
});
export type CreateCustomRoleInput = z.infer<typeof createCustomRoleSchema>;

export const renameCustomRoleSchema = z.object({ roleId: id, version, name: requiredText(80, "name") });
export type RenameCustomRoleInput = z.infer<typeof renameCustomRoleSchema>;

export const deleteSchema = z.object({ id, version });
export type DeleteInput = z.infer<typeof deleteSchema>;

export const moveSchema = z.object({ id, version, direction });
export type MoveInput = z.infer<typeof moveSchema>;

// --- phases -----------------------------------------------------------------------------

const phaseFields = {
  name: requiredText(200, "name"),
  goal: optionalText(2000, "goal"),
  window: optionalText(100, "window"),
  plannedStart: optionalDate("start"),
  plannedEnd: optionalDate("end"),
  optional: checkbox,
};
const windowInOrder = (v: { plannedStart: Date | null; plannedEnd: Date | null }) => !v.plannedStart || !v.plannedEnd || v.plannedEnd >= v.plannedStart;
const windowIssue = { error: invalid("validation.plan.windowOrder"), path: ["plannedEnd"] };

export const createPhaseSchema = z.object({ rolloutId: id, ...phaseFields }).refine(windowInOrder, windowIssue);
export type CreatePhaseInput = z.infer<typeof createPhaseSchema>;
export const updatePhaseSchema = z.object({ id, version, ...phaseFields }).refine(windowInOrder, windowIssue);
export type UpdatePhaseInput = z.infer<typeof updatePhaseSchema>;

// --- checklist items --------------------------------------------------------------------

const itemFields = {
  text: requiredText(2000, "text"),
  list: z.enum(["PHASE", "IMMEDIATE", "NEXT_24H"], { error: invalid("validation.plan.list") }).default("PHASE"),
  phaseId: optionalId,
  ownerRole: optionalRoleKey,
  assigneeId: optionalId,
  dueAt: optionalDate("due"),
  optional: checkbox,
  signOffId: optionalId,
};
const phaseMatchesList = (v: { list: string; phaseId: string | null }) => (v.list === "PHASE") === (v.phaseId !== null);
const phaseIssue = { error: invalid("validation.plan.phaseForList"), path: ["phaseId"] };

export const createItemSchema = z.object({ rolloutId: id, ...itemFields }).refine(phaseMatchesList, phaseIssue);
export type CreateItemInput = z.infer<typeof createItemSchema>;
export const updateItemSchema = z.object({ id, version, ...itemFields }).refine(phaseMatchesList, phaseIssue);
export type UpdateItemInput = z.infer<typeof updateItemSchema>;

// --- sign-offs --------------------------------------------------------------------------

const SIGN_OFF_KINDS = ["PHASE_GATE", "PRODUCTION_DEPLOYMENT", "DEPLOYMENT_DATE", "BUDGET", "SECURITY_POLICY", "ACCESS_CONTROL", "COMPLIANCE", "GO_NO_GO"] as const;

const signOffFields = {
  title: requiredText(200, "title"),
  kind: z.enum(SIGN_OFF_KINDS, { error: invalid("validation.plan.kind") }),
  phaseId: optionalId,
  description: optionalText(2000, "description"),
  // One checkbox per role: a single value or several.
  approvers: z
    .union([roleKey, z.array(roleKey)], { error: invalid("validation.plan.approvers") })
    .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
    .refine((v) => v.length > 0 && v.length <= 20, { error: invalid("validation.plan.approvers") }),
  rule: z.enum(["count", "every"], { error: invalid("validation.plan.rule") }),
  approvalsNeeded: z.coerce
    .number({ error: invalid("validation.plan.approvalsNeeded") })
    .int({ error: invalid("validation.plan.approvalsNeeded") })
    .min(1, { error: invalid("validation.plan.approvalsNeeded") })
    .max(20, { error: invalid("validation.plan.approvalsNeeded") })
    .default(1),
  dueAt: optionalDate("due"),
  amount: text()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      if (!/^\d{1,12}(\.\d{1,2})?$/.test(v)) {
        ctx.addIssue({ code: "custom", message: invalidText("validation.plan.amount") });
        return z.NEVER;
      }
      return BigInt(Math.round(Number(v) * 100));
    }),
  currency: text()
    .trim()
    .toUpperCase()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || /^[A-Z]{3}$/.test(v), { error: invalid("validation.plan.currency") }),
  requiredForGate: checkbox,
};
const amountOnlyForBudget = (v: { kind: string; amount: bigint | null }) => v.amount === null || v.kind === "BUDGET";
const amountIssue = { error: invalid("validation.plan.amountOnlyBudget"), path: ["amount"] };

export const createSignOffSchema = z.object({ rolloutId: id, ...signOffFields }).refine(amountOnlyForBudget, amountIssue);
export type CreateSignOffInput = z.infer<typeof createSignOffSchema>;
export const updateSignOffSchema = z.object({ id, version, ...signOffFields }).refine(amountOnlyForBudget, amountIssue);
export type UpdateSignOffInput = z.infer<typeof updateSignOffSchema>;

// --- documents and reading lists --------------------------------------------------------

const documentFields = {
  title: requiredText(200, "title"),
  // A repository path or a web address (http/https only).
  path: optionalText(500, "path").refine((v) => v === null || !/^[a-z][a-z0-9+.-]*:/i.test(v) || /^https?:\/\//i.test(v), {
    error: invalid("validation.plan.link"),
  }),
  body: optionalText(100_000, "body"),
};
export const createDocumentSchema = z.object({ rolloutId: id, ...documentFields });
export type CreateDocumentInput = z.infer<typeof createDocumentSchema>;
export const updateDocumentSchema = z.object({ id, version, ...documentFields });
export type UpdateDocumentInput = z.infer<typeof updateDocumentSchema>;

const readingFields = {
  minutes: z.coerce
    .number({ error: invalid("validation.plan.minutes") })
    .int({ error: invalid("validation.plan.minutes") })
    .min(1, { error: invalid("validation.plan.minutes") })
    .max(600, { error: invalid("validation.plan.minutes") }),
  sectionHint: optionalText(200, "sectionHint"),
};
export const createReadingEntrySchema = z.object({ rolloutId: id, role: roleKey, documentId: id, ...readingFields });
export type CreateReadingEntryInput = z.infer<typeof createReadingEntrySchema>;
export const updateReadingEntrySchema = z.object({ id, version, ...readingFields });
export type UpdateReadingEntryInput = z.infer<typeof updateReadingEntrySchema>;

// --- success criteria and their groups --------------------------------------------------

export const createCriterionGroupSchema = z.object({ rolloutId: id, name: requiredText(200, "name") });
export type CreateCriterionGroupInput = z.infer<typeof createCriterionGroupSchema>;
export const renameCriterionGroupSchema = z.object({ id, version, name: requiredText(200, "name") });
export type RenameCriterionGroupInput = z.infer<typeof renameCriterionGroupSchema>;

export const createCriterionSchema = z.object({ rolloutId: id, groupId: id, text: requiredText(2000, "text") });
export type CreateCriterionInput = z.infer<typeof createCriterionSchema>;
/** Edits a criterion's text; another group moves it to the end of that group. */
export const updateCriterionSchema = z.object({ id, version, groupId: id, text: requiredText(2000, "text") });
export type UpdateCriterionInput = z.infer<typeof updateCriterionSchema>;

// --- contacts ---------------------------------------------------------------------------

const contactFields = {
  topic: requiredText(200, "topic"),
  role: roleKey,
  roleLabel: optionalText(120, "roleLabel"),
  notes: optionalText(2000, "notes"),
};
export const createContactSchema = z.object({ rolloutId: id, ...contactFields });
export type CreateContactInput = z.infer<typeof createContactSchema>;
export const updateContactSchema = z.object({ id, version, ...contactFields });
export type UpdateContactInput = z.infer<typeof updateContactSchema>;

// --- milestones -------------------------------------------------------------------------

const requiredDate = (field: "start") =>
  optionalDate(field).refine((v) => v !== null, { error: invalid("validation.plan.dateRequired", { field }) }).transform((v) => v as Date);

const milestoneFields = {
  label: requiredText(200, "label"),
  startsAt: requiredDate("start"),
  endsAt: optionalDate("end"),
  phaseId: optionalId,
  // One detail a line; blank lines dropped.
  details: optionalText(4000, "details").transform((v) =>
    (v ?? "")
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  ),
};
const milestoneInOrder = (v: { startsAt: Date; endsAt: Date | null }) => !v.endsAt || v.endsAt >= v.startsAt;
const milestoneIssue = { error: invalid("validation.plan.milestoneOrder"), path: ["endsAt"] };
export const createMilestoneSchema = z.object({ rolloutId: id, ...milestoneFields }).refine(milestoneInOrder, milestoneIssue);
export type CreateMilestoneInput = z.infer<typeof createMilestoneSchema>;
export const updateMilestoneSchema = z.object({ id, version, ...milestoneFields }).refine(milestoneInOrder, milestoneIssue);
export type UpdateMilestoneInput = z.infer<typeof updateMilestoneSchema>;
