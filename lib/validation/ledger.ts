import { z } from "zod";
import { digestSchema } from "../audit/verify";
import { invalid, invalidText } from "../i18n/zod";
import { id as idSchema, text } from "./input";

const id = idSchema();

export const rolloutIdSchema = z.object({ rolloutId: id });

export const checkDigestSchema = z.object({
  rolloutId: id,
  digest: text({ error: invalid("validation.digest.required") })
    .trim()
    .min(1, { error: invalid("validation.digest.required") })
    .max(2000, { error: invalid("validation.digest.tooLong") })
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: invalidText("validation.digest.notJson") });
        return z.NEVER;
      }
    })
    .pipe(digestSchema),
});
