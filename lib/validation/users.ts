import { z } from "zod";
import { ALL_ROLES } from "../domain/roles";
import { passwordSchema } from "../auth/password";
import { invalid } from "../i18n/zod";

const id = z.string({ error: invalid("validation.missingId") }).trim().min(1, { error: invalid("validation.missingId") }).max(64);
const roleList = z.preprocess(
  (value) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.enum(ALL_ROLES, { error: invalid("validation.unknownRole") })).max(ALL_ROLES.length),
);

export const createUserSchema = z.object({
  email: z.email({ error: invalid("validation.email") }).trim().toLowerCase().max(320),
  name: z.string().trim().min(1, { error: invalid("validation.personName") }).max(120, { error: invalid("validation.nameTooLong", { max: 120 }) }),
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
    currentPassword: z.string().min(1, { error: invalid("validation.currentPassword") }).max(1024),
    newPassword: passwordSchema,
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { error: invalid("validation.passwordsDiffer"), path: ["confirmPassword"] });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
