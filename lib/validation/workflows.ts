import { z } from "zod";
import { TRANSITIONS } from "../domain/phase";

const id = z.string({ error: "Missing identifier." }).trim().min(1, { error: "Missing identifier." }).max(64);
const version = z.coerce.number({ error: "Missing version." }).int().min(1, { error: "Missing version." });
// Optional on the way in and out: callers in code may leave it out, forms send "" for empty.
const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, { error: `${label} may have at most ${max} characters.` })
    .transform((v) => v || undefined)
    .optional();

export const updateItemStateSchema = z
  .object({
    itemId: id,
    version,
    state: z.enum(["OPEN", "DONE", "NOT_APPLICABLE"], { error: "Choose open, done or not applicable." }),
    evidence: optionalText(2000, "Evidence"),
    reason: optionalText(1000, "The reason"),
  })
  .refine((v) => v.state !== "NOT_APPLICABLE" || v.reason, {
    error: "Say why this item does not apply.",
    path: ["reason"],
  });
export type UpdateItemStateInput = z.infer<typeof updateItemStateSchema>;

export const updateItemDetailsSchema = z.object({
  itemId: id,
  version,
  assigneeId: z
    .string()
    .trim()
    .max(64)
    .optional()
    .transform((v) => v || null),
  dueAt: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const date = new Date(v.length === 10 ? `${v}T23:59:59Z` : v);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: "custom", message: "Enter the due date as YYYY-MM-DD." });
        return z.NEVER;
      }
      return date;
    }),
});
export type UpdateItemDetailsInput = z.infer<typeof updateItemDetailsSchema>;

export const decideSignOffSchema = z
  .object({
    signOffId: id,
    value: z.enum(["APPROVE", "REJECT"], { error: "Choose approve or reject." }),
    comment: optionalText(2000, "A comment"),
  })
  .refine((v) => v.value !== "REJECT" || v.comment, { error: "A rejection needs a comment saying why.", path: ["comment"] });
export type DecideSignOffInput = z.infer<typeof decideSignOffSchema>;

export const withdrawDecisionSchema = z.object({ signOffId: id });
export type WithdrawDecisionInput = z.infer<typeof withdrawDecisionSchema>;

export const transitionPhaseSchema = z
  .object({
    phaseId: id,
    version,
    transition: z.enum(TRANSITIONS, { error: "Unknown phase change." }),
    reason: optionalText(1000, "The reason"),
    override: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional(),
  })
  .refine((v) => !(v.transition === "block" || v.transition === "skip" || v.override) || v.reason, {
    error: "Give a reason: it goes on record.",
    path: ["reason"],
  });
export type TransitionPhaseInput = z.infer<typeof transitionPhaseSchema>;

export const markReadSchema = z.object({
  entryId: id,
  read: z.enum(["true", "false"], { error: "Choose read or unread." }).transform((v) => v === "true"),
});
export type MarkReadInput = z.infer<typeof markReadSchema>;

export const verifyCriterionSchema = z.object({
  criterionId: id,
  version,
  verified: z.enum(["true", "false"], { error: "Choose verified or not." }).transform((v) => v === "true"),
  note: optionalText(2000, "The note"),
});
export type VerifyCriterionInput = z.infer<typeof verifyCriterionSchema>;

export const renameSignOffSchema = z.object({
  signOffId: id,
  version,
  title: z.string().trim().min(1, { error: "Give the sign-off a name." }).max(200, { error: "A name may have at most 200 characters." }),
});
export type RenameSignOffInput = z.infer<typeof renameSignOffSchema>;
