import { z } from "zod";
import { ALL_ROLES } from "../domain/roles";
import { passwordSchema } from "../auth/password";
import { invalid } from "../i18n/zod";
import { id as idSchema, text } from "./input";

const id = idSchema();

/**
 * Roles as a form sends them: a built-in role's name ("DBA") or a rollout's own role as
 * "custom:<id>". The data layer checks that a custom role belongs to the rollout.
 */
const CUSTOM_ROLE = /^custom:[A-Za-z0-9_-]{1,64}$/;
const roleList = z.preprocess(
  (value) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z
    .array(
      z.string().refine((value) => (ALL_ROLES as readonly string[]).includes(value) || CUSTOM_ROLE.test(value), {
        error: invalid("validation.unknownRole"),
      }),
    )
    .max(100),
);

const optionalName = text()
  .trim()
  .max(120, { error: invalid("validation.nameTooLong", { max: 120 }) })
  .transform((v) => v || undefined)
  .optional();
const optionalPassword = text()
  .transform((v) => v || undefined)
  .pipe(passwordSchema.optional())
  .optional();

/**
 * Adding a person to a rollout by email. An email that already has an account adds that
 * account (name and password are then ignored); a new email needs a name and a password.
 */
export const createUserSchema = z.object({
  email: text({ error: invalid("validation.email") })
    .trim()
    .toLowerCase()
    .max(320, { error: invalid("validation.input.emailTooLong", { max: 320 }) })
    .pipe(z.email({ error: invalid("validation.email") })),
  name: optionalName,
  password: optionalPassword,
  rolloutId: id,
  roles: roleList.refine((roles) => roles.length > 0, { error: invalid("validation.roleRequired") }),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const setMemberRolesSchema = z.object({ userId: id, rolloutId: id, roles: roleList });
export type SetMemberRolesInput = z.infer<typeof setMemberRolesSchema>;

const yesNo = (key: "validation.activeChoice" | "validation.createRightChoice") =>
  z.enum(["true", "false"], { error: invalid(key) }).transform((v) => v === "true");

export const setUserActiveSchema = z.object({ userId: id, active: yesNo("validation.activeChoice") });
export type SetUserActiveInput = z.infer<typeof setUserActiveSchema>;

export const setCreateRightSchema = z.object({ userId: id, allowed: yesNo("validation.createRightChoice") });
export type SetCreateRightInput = z.infer<typeof setCreateRightSchema>;

export const changePasswordSchema = z
  .object({
    currentPassword: text({ error: invalid("validation.currentPassword") })
      .min(1, { error: invalid("validation.currentPassword") })
      .max(1024, { error: invalid("validation.password.tooLong", { max: 1024 }) }),
    newPassword: passwordSchema,
    confirmPassword: text().max(1024, { error: invalid("validation.password.tooLong", { max: 1024 }) }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { error: invalid("validation.passwordsDiffer"), path: ["confirmPassword"] });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
