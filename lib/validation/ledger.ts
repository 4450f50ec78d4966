import { z } from "zod";
import { digestSchema } from "../audit/verify";

const id = z.string().trim().min(1, { error: "Missing identifier." }).max(64);

export const rolloutIdSchema = z.object({ rolloutId: id });

export const checkDigestSchema = z.object({
  rolloutId: id,
  digest: z
    .string({ error: "Paste a digest." })
    .trim()
    .min(1, { error: "Paste a digest." })
    .max(2000, { error: "A digest is one short line of JSON." })
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "The digest is not valid JSON." });
        return z.NEVER;
      }
    })
    .pipe(digestSchema),
});
