import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";

// Unique data per test: every factory call makes new rows, so tests never depend on
// each other's leftovers.

export const unique = (prefix = "t") => `${prefix}-${randomBytes(4).toString("hex")}`;

/** A real argon2id hash of "correct horse battery staple", computed once. */
let knownHash: Promise<string> | undefined;
export const KNOWN_PASSWORD = "correct horse battery staple";
export async function knownPasswordHash(): Promise<string> {
  const { hashPassword } = await import("@/lib/auth/password");
  knownHash ??= hashPassword(KNOWN_PASSWORD);
  return knownHash;
}

export async function createRollout(db: Db, slug = unique("rollout")) {
  return db.rollout.create({ data: { slug, name: `Rollout ${slug}`, anchorDate: new Date("2026-01-01") } });
}

export async function createUser(db: Db, options: { rolloutId?: string; roles?: Role[]; email?: string; active?: boolean } = {}) {
  const email = options.email ?? `${unique("user")}@example.test`;
  const user = await db.user.create({
    data: { email, name: `User ${email}`, passwordHash: await knownPasswordHash(), active: options.active ?? true },
  });
  if (options.rolloutId && options.roles?.length) {
    await db.rolloutMember.createMany({ data: options.roles.map((role) => ({ rolloutId: options.rolloutId!, userId: user.id, role })) });
  }
  return user;
}

/** The id of a criterion group of the rollout, created on first use. */
export async function criterionGroupId(db: Db, rolloutId: string, name = "Operations"): Promise<string> {
  const existing = await db.criterionGroup.findFirst({ where: { rolloutId, name } });
  if (existing) return existing.id;
  const count = await db.criterionGroup.count({ where: { rolloutId } });
  return (await db.criterionGroup.create({ data: { rolloutId, name, position: count } })).id;
}
