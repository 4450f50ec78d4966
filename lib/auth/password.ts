import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import { invalid } from "../i18n/zod";
import { text } from "../validation/input";

// NIST SP 800-63B / OWASP: length over composition. At least 8 characters, up to 128
// accepted, no rules about character classes, and never one of the most common passwords.

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

const common = new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));

export const passwordSchema = text({ error: invalid("validation.password.required") })
  .min(PASSWORD_MIN, { error: invalid("validation.password.tooShort", { min: PASSWORD_MIN }) })
  .max(PASSWORD_MAX, { error: invalid("validation.password.tooLong", { max: PASSWORD_MAX }) })
  .refine((value) => !common.has(value.toLowerCase()), {
    error: invalid("validation.password.common"),
  });

// argon2id with OWASP's minimum parameters: 19 MiB of memory, 2 iterations, 1 lane.
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when the account does not exist takes as long as a real
// check, so response time does not tell whether an email is registered.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword("greenlight-timing-equaliser");
  return dummyHash;
}
