import { z } from "zod";
import { SCOPES } from "../auth/scopes";
import { ALL_ROLES } from "../domain/roles";
import { invalid } from "../i18n/zod";
import { id as idSchema, text } from "./input";

const id = idSchema();

const name = text({ error: invalid("validation.api.tokenName") })
  .trim()
  .min(1, { error: invalid("validation.api.tokenName") })
  .max(100, { error: invalid("validation.api.tokenName") });

const scopes = z.preprocess(
  (value) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z
    .array(z.enum(SCOPES, { error: invalid("validation.api.scope") }))
    .min(1, { error: invalid("validation.api.tokenScopes") })
    .max(SCOPES.length)
    .transform((list) => [...new Set(list)]),
);

const expiresInDays = z.coerce
  .number({ error: invalid("validation.api.tokenExpiry") })
  .int({ error: invalid("validation.api.tokenExpiry") })
  .min(1, { error: invalid("validation.api.tokenExpiry") })
  .max(366, { error: invalid("validation.api.tokenExpiry") });

export const createPersonalTokenSchema = z.object({ name, scopes, expiresInDays });
export type CreatePersonalTokenInput = z.infer<typeof createPersonalTokenSchema>;

export const revokePersonalTokenSchema = z.object({ tokenId: id });

/** A rollout service account: a named bot with built-in roles in that one rollout, and its first token. */
export const createServiceAccountSchema = z.object({
  rolloutId: id,
  name,
  roles: z.preprocess(
    (value) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]),
    z.array(z.enum(ALL_ROLES, { error: invalid("validation.unknownRole") })).min(1, { error: invalid("validation.api.serviceAccountRoles") }).max(ALL_ROLES.length),
  ),
  scopes,
  expiresInDays,
});
export type CreateServiceAccountInput = z.infer<typeof createServiceAccountSchema>;

export const revokeServiceTokenSchema = z.object({ rolloutId: id, tokenId: id });
