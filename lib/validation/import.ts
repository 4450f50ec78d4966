import { z } from "zod";
import { ALL_ROLES } from "../domain/roles";
import { invalid, invalidText } from "../i18n/zod";
import { MAX_PLAN_BYTES } from "../import/decode";
import { SECTION_KINDS } from "../import/markdown-plan";
import { id, text } from "./input";
import { calendarDate, rolloutName, rolloutSlug } from "./rollouts";

// Importing a plan: the source (an uploaded file or pasted text, at most 2 MB), the
// person's corrections of single lines, how each section is read and what each role the
// plan names becomes. The preview and the import take the same fields: the import
// decodes and reads the submitted source again, nothing of the preview is trusted.

/** A file a form sent (the browser sends an empty, nameless one when none was chosen). */
function isFile(value: unknown): value is Blob & { name?: string } {
  return typeof Blob !== "undefined" && value instanceof Blob;
}

const MAX_TEXT = "2 MB";

/** Lines "12" → their corrected text. */
const edits = z
  .record(
    z.string().regex(/^[1-9]\d{0,6}$/, { error: invalid("validation.import.lineNumber") }),
    text().max(10_000, { error: invalid("validation.import.lineTooLong", { max: 10_000 }) }),
  )
  .refine((value) => Object.keys(value).length <= 10_000, { error: invalid("validation.import.tooManyChoices") });

const readAs = z
  .record(
    z.string().regex(/^s\d{1,6}$/, { error: invalid("validation.import.sectionId") }),
    z.enum(SECTION_KINDS, { error: invalid("validation.import.sectionKind") }),
  )
  .refine((value) => Object.keys(value).length <= 10_000, { error: invalid("validation.import.tooManyChoices") });

const role = z.enum(ALL_ROLES, { error: invalid("validation.unknownRole") });
const roleChoice = z.union(
  [
    z.strictObject({ role }),
    z.strictObject({
      custom: text()
        .trim()
        .min(1, { error: invalid("validation.import.customRoleName") })
        .max(80, { error: invalid("validation.nameTooLong", { max: 80 }) }),
      baseRole: role,
    }),
    z.strictObject({ customRoleId: id() }),
  ],
  { error: invalid("validation.import.roleChoice") },
);
const roles = z
  .record(text().min(1).max(500), roleChoice)
  .refine((value) => Object.keys(value).length <= 1_000, { error: invalid("validation.import.tooManyChoices") });

/** A form field holding JSON, parsed, then checked by `schema`; absent or empty is `{}`. */
function json<S extends z.ZodType>(schema: S) {
  return text()
    .max(4_000_000, { error: invalid("validation.import.choicesTooLarge") })
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") return {};
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: invalidText("validation.import.badChoices") });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

function utf8Length(value: string): number {
  return Buffer.byteLength(value, "utf8");
}

const source = {
  // Empty: a new rollout. Otherwise the rollout to import into (it must have nothing recorded yet).
  rolloutId: text()
    .trim()
    .max(64, { error: invalid("validation.input.idTooLong", { max: 64 }) })
    .optional()
    .transform((v) => v || null),
  file: z
    .unknown()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === null || value === "") return null;
      if (!isFile(value)) {
        ctx.addIssue({ code: "custom", message: invalidText("validation.import.notAFile") });
        return z.NEVER;
      }
      // A file input left empty still sends a nameless file of 0 bytes.
      if (value.size === 0 && !value.name) return null;
      if (value.size > MAX_PLAN_BYTES) {
        ctx.addIssue({ code: "custom", message: invalidText("validation.import.tooLarge", { size: megabytes(value.size), max: MAX_TEXT }) });
        return z.NEVER;
      }
      return value;
    }),
  text: text()
    .optional()
    .transform((v) => (v && v.trim() !== "" ? v : null))
    .refine((v) => v === null || utf8Length(v) <= MAX_PLAN_BYTES, {
      error: (issue) => invalidText("validation.import.tooLarge", { size: megabytes(utf8Length(String(issue.input ?? ""))), max: MAX_TEXT }),
    }),
  edits: json(edits),
  readAs: json(readAs),
  roles: json(roles),
};

/** An empty form field is an absent one. */
function blank(value: unknown): unknown {
  return value === "" ? undefined : value;
}

export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function oneSource<T extends { file: Blob | null; text: string | null }>(value: T, ctx: z.RefinementCtx) {
  if (value.file === null && value.text === null) ctx.addIssue({ code: "custom", path: ["file"], message: invalidText("validation.import.noSource") });
  if (value.file !== null && value.text !== null) ctx.addIssue({ code: "custom", path: ["file"], message: invalidText("validation.import.twoSources") });
}

export const previewImportSchema = z.object(source).superRefine(oneSource);
export type PreviewImportInput = z.infer<typeof previewImportSchema>;

export const confirmImportSchema = z
  .object({
    ...source,
    // For a new rollout; an existing one keeps its own name, address and start date.
    name: z.preprocess(blank, rolloutName.optional()),
    slug: z.preprocess(blank, rolloutSlug.optional()),
    startDate: z.preprocess(blank, calendarDate.optional()),
  })
  .superRefine((value, ctx) => {
    oneSource(value, ctx);
    if (value.rolloutId === null) {
      if (!value.slug) ctx.addIssue({ code: "custom", path: ["slug"], message: invalidText("validation.rollouts.slug") });
      if (!value.startDate) ctx.addIssue({ code: "custom", path: ["startDate"], message: invalidText("validation.rollouts.startDate") });
    }
  });
export type ConfirmImportInput = z.infer<typeof confirmImportSchema>;
