import { z } from "zod";
import { text } from "./input";
import { invalid } from "../i18n/zod";

const id = text({ error: invalid("validation.missingId") }).trim().min(1, { error: invalid("validation.missingId") }).max(64);
const version = z.coerce.number({ error: invalid("validation.missingVersion") }).int().min(1, { error: invalid("validation.missingVersion") });

export const rolloutName = text({ error: invalid("validation.rollouts.name") })
  .trim()
  .min(1, { error: invalid("validation.rollouts.name") })
  .max(120, { error: invalid("validation.nameTooLong", { max: 120 }) });

/** A URL segment: lower-case letters, digits and single hyphens, 3 to 60 characters. */
export const rolloutSlug = text({ error: invalid("validation.rollouts.slug") })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: invalid("validation.rollouts.slug") })
  .min(3, { error: invalid("validation.rollouts.slug") })
  .max(60, { error: invalid("validation.rollouts.slug") })
  // Words the portal's own routes use at the top level of a rollout's address.
  .refine((slug) => !["new", "home", "admin", "account", "api", "import"].includes(slug), { error: invalid("validation.rollouts.slugReserved") });

/** A calendar date, YYYY-MM-DD, that exists. Becomes midnight UTC of that day. */
export const calendarDate = text({ error: invalid("validation.rollouts.startDate") })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: invalid("validation.rollouts.startDate") })
  .transform((value, ctx) => {
    const date = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
      ctx.addIssue({ code: "custom", message: invalid("validation.rollouts.startDate")() });
      return z.NEVER;
    }
    return date;
  });

const description = text()
  .trim()
  .max(2000, { error: invalid("validation.rollouts.descriptionTooLong", { max: 2000 }) })
  .transform((v) => v || null)
  .optional();

export const createRolloutSchema = z.object({
  name: rolloutName,
  slug: rolloutSlug,
  startDate: calendarDate,
  description,
  // Empty: a blank rollout. Otherwise the rollout or template whose structure is copied.
  sourceId: text()
    .trim()
    .max(64)
    .transform((v) => v || null)
    .optional(),
});
export type CreateRolloutInput = z.infer<typeof createRolloutSchema>;

export const saveAsTemplateSchema = z.object({ rolloutId: id, name: rolloutName, slug: rolloutSlug });
export type SaveAsTemplateInput = z.infer<typeof saveAsTemplateSchema>;

export const setArchivedSchema = z.object({
  rolloutId: id,
  version,
  archived: z.enum(["true", "false"], { error: invalid("validation.rollouts.archivedChoice") }).transform((v) => v === "true"),
});
export type SetArchivedInput = z.infer<typeof setArchivedSchema>;
