import { z } from "zod";
import { TRANSITIONS } from "../domain/phase";
import { invalid, invalidText } from "../i18n/zod";
import { DATE_RANGE, dateInRange, id as idSchema, text, version as versionSchema } from "./input";

const id = idSchema();
const version = versionSchema();
// Optional on the way in and out: callers in code may leave it out, forms send "" for empty.
const optionalText = (max: number, field: "evidence" | "reason" | "comment" | "note") =>
  text()
    .trim()
    .max(max, { error: invalid("validation.tooLong", { field, max }) })
    .transform((v) => v || undefined)
    .optional();

// Evidence tells "absent" from "empty": absent leaves it as it is, "" (or blanks) clears it.
const evidenceText = text({ error: invalid("validation.evidenceMissing") })
  .trim()
  .max(2000, { error: invalid("validation.tooLong", { field: "evidence", max: 2000 }) })
  .transform((v) => v || null);

export const updateItemStateSchema = z
  .object({
    itemId: id,
    version,
    state: z.enum(["OPEN", "DONE", "NOT_APPLICABLE"], { error: invalid("validation.itemState") }),
    evidence: evidenceText.optional(),
    reason: optionalText(1000, "reason"),
  })
  .refine((v) => v.state !== "NOT_APPLICABLE" || v.reason, {
    error: invalid("validation.notApplicableReason"),
    path: ["reason"],
  });
export type UpdateItemStateInput = z.infer<typeof updateItemStateSchema>;

/** Evidence alone: its own write, which leaves the item's state and who ticked it untouched. */
export const updateItemEvidenceSchema = z.object({ itemId: id, version, evidence: evidenceText });
export type UpdateItemEvidenceInput = z.infer<typeof updateItemEvidenceSchema>;

/** Which item's assignee picker asks for the people it may list. */
export const itemAssigneesSchema = z.object({ itemId: id });

/** Which rollout's checklist filter asks for the people its items are assigned to. */
export const assignedPeopleSchema = z.object({ slug: id });

export const updateItemDetailsSchema = z.object({
  itemId: id,
  version,
  assigneeId: text()
    .trim()
    .max(64, { error: invalid("validation.input.idTooLong", { max: 64 }) })
    .optional()
    .transform((v) => v || null),
  // A day (YYYY-MM-DD, due at its end, UTC) as the date field sends it, or an ISO date-time;
  // a day that does not exist (2027-02-31) or lies outside the range people plan in is refused.
  dueAt: text()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const date = z.iso.date().safeParse(v).success
        ? new Date(`${v}T23:59:59Z`)
        : z.iso.datetime({ offset: true }).safeParse(v).success
          ? new Date(v)
          : null;
      if (!date || Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: "custom", message: invalidText("validation.dueDate") });
        return z.NEVER;
      }
      if (!dateInRange(date)) {
        ctx.addIssue({ code: "custom", message: invalidText("validation.input.dateRange", DATE_RANGE) });
        return z.NEVER;
      }
      return date;
    }),
});
export type UpdateItemDetailsInput = z.infer<typeof updateItemDetailsSchema>;

export const decideSignOffSchema = z
  .object({
    signOffId: id,
    value: z.enum(["APPROVE", "REJECT"], { error: invalid("validation.decision") }),
    comment: optionalText(2000, "comment"),
  })
  .refine((v) => v.value !== "REJECT" || v.comment, { error: invalid("validation.rejectionComment"), path: ["comment"] });
export type DecideSignOffInput = z.infer<typeof decideSignOffSchema>;

export const withdrawDecisionSchema = z.object({ signOffId: id });
export type WithdrawDecisionInput = z.infer<typeof withdrawDecisionSchema>;

/** A rollout admin takes back someone else's decision: which one, and why (on record, told to its author). */
export const withdrawOthersDecisionSchema = z.object({
  decisionId: id,
  reason: text({ error: invalid("validation.withdrawReason") })
    .trim()
    .min(3, { error: invalid("validation.withdrawReason") })
    .max(500, { error: invalid("validation.tooLong", { field: "reason", max: 500 }) }),
});
export type WithdrawOthersDecisionInput = z.infer<typeof withdrawOthersDecisionSchema>;

export const transitionPhaseSchema = z
  .object({
    phaseId: id,
    version,
    transition: z.enum(TRANSITIONS, { error: invalid("validation.phaseChange") }),
    reason: optionalText(1000, "reason"),
    override: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional(),
  })
  .refine((v) => !(v.transition === "block" || v.transition === "skip" || v.transition === "reopen" || v.override) || v.reason, {
    error: invalid("validation.reasonOnRecord"),
    path: ["reason"],
  });
export type TransitionPhaseInput = z.infer<typeof transitionPhaseSchema>;

export const markReadSchema = z.object({
  entryId: id,
  read: z.enum(["true", "false"], { error: invalid("validation.readState") }).transform((v) => v === "true"),
});
export type MarkReadInput = z.infer<typeof markReadSchema>;

export const verifyCriterionSchema = z.object({
  criterionId: id,
  version,
  verified: z.enum(["true", "false"], { error: invalid("validation.verifiedState") }).transform((v) => v === "true"),
  note: optionalText(2000, "note"),
});
export type VerifyCriterionInput = z.infer<typeof verifyCriterionSchema>;

export const renameSignOffSchema = z.object({
  signOffId: id,
  version,
  title: text().trim().min(1, { error: invalid("validation.signOffName") }).max(200, { error: invalid("validation.nameTooLong", { max: 200 }) }),
});
export type RenameSignOffInput = z.infer<typeof renameSignOffSchema>;
