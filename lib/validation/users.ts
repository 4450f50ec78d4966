import { z } from "zod";
import { ALL_ROLES } from "../domain/roles";
import { passwordSchema } from "../auth/password";
import { invalid } from "../i18n/zod";
import { id as idSchema, text } from "./input";

const id = idSchema();
const roleList = z.preprocess(
  (value) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.enum(ALL_ROLES, { error: invalid("validation.unknownRole") })).max(ALL_ROLES.length),
);

export const createUserSchema = z.object({
  email: text({ error: invalid("validation.email") })
    .trim()
    .toLowerCase()
    .max(320, { error: invalid("validation.input.emailTooLong", { max: 320 }) })
    .pipe(z.email({ error: invalid("validation.email") })),
  name: text().trim().min(1, { error: invalid("validation.personName") }).max(120, { error: invalid("validation.nameTooLong", { max: 120 }) }),
  password: passwordSchema,
  rolloutId: id,
  roles: roleList.refine((roles) => roles.length > 0, { error: invalid("validation.roleRequired") }),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const setMemberRolesSchema = z.object({ userId: id, rolloutId: id, roles: roleList });
export type SetMemberRolesInput = z.infer<typeof setMemberRolesSchema>;

export const setUserActiveSchema = z.object({
  userId: id,
  active: z.enum(["true", "false"], { error: invalid("validation.activeChoice") }).transform((v) => v === "true"),
});
export type SetUserActiveInput = z.infer<typeof setUserActiveSchema>;

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
