import { z } from "zod";
import { SCOPES } from "../auth/scopes";
import { ALL_ROLES } from "../domain/roles";
import { invalid } from "../i18n/zod";
import { decideSignOffSchema, transitionPhaseSchema, updateItemDetailsSchema, updateItemStateSchema, verifyCriterionSchema } from "../validation/workflows";
import { itemFiltersSchema } from "../validation/filters";
import { text } from "../validation/input";
import { calendarDate, rolloutName, rolloutSlug } from "../validation/rollouts";

// The /api/v1 inputs and answers as zod schemas: the handlers parse with them and the
// OpenAPI document (`lib/api/openapi.ts`) is generated from them, so the two cannot differ.

/** Listing items: the checklist filters plus a cursor and a page size. */
export const itemListQuerySchema = itemFiltersSchema.extend({
  cursor: text().max(200, { error: invalid("validation.api.cursor") }).optional(),
  limit: z.coerce.number({ error: invalid("validation.api.limit") }).int({ error: invalid("validation.api.limit") }).min(1, { error: invalid("validation.api.limit") }).max(200, { error: invalid("validation.api.limit") }).default(50),
});

/** Changing an item's state: the page's schema without the ids (in the path) and the version (in If-Match). */
export const itemStateBodySchema = z
  .object({ state: updateItemStateSchema.shape.state, evidence: updateItemStateSchema.shape.evidence, reason: updateItemStateSchema.shape.reason })
  .strict();

/** A decision on a sign-off: the page's schema without the id (in the path). */
export const decisionBodySchema = z.object({ value: decideSignOffSchema.shape.value, comment: decideSignOffSchema.shape.comment }).strict();

const person = z.object({ id: z.string(), name: z.string() }).nullable();

export const itemSchema = z.object({
  id: z.string(),
  phaseId: z.string().nullable(),
  phase: z.number().int().nullable().describe("The phase's position (1, 2, …); null outside phases."),
  text: z.string(),
  ownerRole: z.enum(ALL_ROLES).nullable(),
  ownerCustomRoleId: z.string().nullable(),
  assignee: person,
  dueAt: z.string().nullable(),
  optional: z.boolean(),
  state: z.enum(["OPEN", "DONE", "NOT_APPLICABLE"]),
  evidence: z.string().nullable(),
  notApplicableReason: z.string().nullable(),
  stateChangedBy: person,
  stateChangedAt: z.string().nullable(),
  version: z.number().int(),
});

export const itemPageSchema = z.object({ items: z.array(itemSchema), nextCursor: z.string().nullable() });

export const phaseSchema = z.object({
  id: z.string(),
  position: z.number().int(),
  name: z.string(),
  status: z.string(),
  optional: z.boolean(),
  version: z.number().int(),
});

export const rolloutSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  roles: z.array(z.enum(ALL_ROLES)),
  phases: z.array(phaseSchema),
});

export const rolloutSummarySchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  roles: z.array(z.enum(ALL_ROLES)),
});

export const signOffSchema = z.object({
  id: z.string(),
  phaseId: z.string().nullable(),
  phase: z.number().int().nullable(),
  kind: z.string(),
  title: z.string(),
  status: z.enum(["PENDING", "APPROVED", "REJECTED"]),
  requiredRoles: z.array(z.enum(ALL_ROLES)),
  requiredCustomRoleIds: z.array(z.string()),
  approvalsNeeded: z.number().int(),
  everyRole: z.boolean(),
  requiredForGate: z.boolean(),
  dueAt: z.string().nullable(),
  version: z.number().int(),
  decisions: z.array(
    z.object({ by: person, role: z.enum(ALL_ROLES), customRoleId: z.string().nullable(), value: z.enum(["APPROVE", "REJECT"]), comment: z.string().nullable(), decidedAt: z.string() }),
  ),
});

export const decisionOutcomeSchema = z.object({ recorded: z.boolean(), status: z.string() });

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string(),
  code: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  fresh: z.unknown().optional(),
});

export const scopeSchema = z.enum(SCOPES);

/** A phase transition: the page's schema without the id (in the path) and the version (in If-Match). */
export const transitionBodySchema = z
  .object({ transition: transitionPhaseSchema.shape.transition, reason: transitionPhaseSchema.shape.reason, override: z.boolean().optional() })
  .strict();

/** Assigning an item: the person (null to clear) and, optionally, a new due date (omitted: kept). */
export const assignBodySchema = z
  .object({ assigneeId: updateItemDetailsSchema.shape.assigneeId.nullable(), dueAt: updateItemDetailsSchema.shape.dueAt.nullable() })
  .partial({ dueAt: true })
  .strict();

/** Verifying a success criterion: the page's schema without the id (in the path) and the version (in If-Match). */
export const verifyBodySchema = z.object({ verified: z.boolean({ error: invalid("validation.verifiedState") }), note: verifyCriterionSchema.shape.note }).strict();

/** Marking one of the caller's reading-list entries read or unread. */
export const markReadBodySchema = z.object({ read: z.boolean({ error: invalid("validation.readState") }) }).strict();

/** The activity cursor: the `seq` of the oldest event already seen. */
export const activityQuerySchema = z.object({
  before: z.coerce.number({ error: invalid("validation.api.cursor") }).int({ error: invalid("validation.api.cursor") }).min(1, { error: invalid("validation.api.cursor") }).optional(),
});

export const withdrawOutcomeSchema = z.object({ status: z.string() });

export const criterionSchema = z.object({
  id: z.string(),
  groupId: z.string(),
  group: z.string(),
  position: z.number().int(),
  text: z.string(),
  verified: z.boolean(),
  verifiedAt: z.string().nullable(),
  verifiedBy: person,
  note: z.string().nullable(),
  version: z.number().int(),
});

export const readingEntrySchema = z.object({
  id: z.string(),
  role: z.enum(ALL_ROLES),
  position: z.number().int(),
  document: z.object({ id: z.string(), title: z.string(), path: z.string().nullable() }),
  read: z.boolean(),
  readAt: z.string().nullable(),
});

export const markReadOutcomeSchema = z.object({ changed: z.boolean() });

export const activityPageSchema = z.object({
  events: z.array(
    z.object({
      seq: z.number().int(),
      at: z.string(),
      action: z.string(),
      actor: person,
      targetType: z.string(),
      targetId: z.string().nullable(),
      target: z.string().nullable(),
      before: z.record(z.string(), z.unknown()).nullable(),
      after: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  nextBefore: z.number().int().nullable(),
});

/** Importing a plan as a new rollout: its address, start date and (else the plan's title) name, in the query. */
export const importNewQuerySchema = z.object({ slug: rolloutSlug, startDate: calendarDate, name: rolloutName.optional() }).strict();

export const importOutcomeSchema = z.object({ slug: z.string(), counts: z.record(z.string(), z.number().int()) });
