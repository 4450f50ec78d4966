import { z } from "zod";
import { ALL_ROLES } from "../domain/roles";
import { passwordSchema } from "../auth/password";

const id = z.string({ error: "Missing identifier." }).trim().min(1, { error: "Missing identifier." }).max(64);
const roleList = z.preprocess(
  (value) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.enum(ALL_ROLES, { error: "Unknown role." })).max(ALL_ROLES.length),
);

export const createUserSchema = z.object({
  email: z.email({ error: "Enter a valid email address." }).trim().toLowerCase().max(320),
  name: z.string().trim().min(1, { error: "Enter the person's name." }).max(120, { error: "A name may have at most 120 characters." }),
  password: passwordSchema,
  rolloutId: id,
  roles: roleList.refine((roles) => roles.length > 0, { error: "Give the person at least one role." }),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const setMemberRolesSchema = z.object({ userId: id, rolloutId: id, roles: roleList });
export type SetMemberRolesInput = z.infer<typeof setMemberRolesSchema>;

export const setUserActiveSchema = z.object({
  userId: id,
  active: z.enum(["true", "false"], { error: "Choose activate or deactivate." }).transform((v) => v === "true"),
});
export type SetUserActiveInput = z.infer<typeof setUserActiveSchema>;

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, { error: "Enter your current password." }).max(1024),
    newPassword: passwordSchema,
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { error: "The new passwords do not match.", path: ["confirmPassword"] });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
