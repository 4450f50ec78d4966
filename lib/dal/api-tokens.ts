import "server-only";
import { randomBytes } from "node:crypto";
import { recordAudit, recordSecurityEvent } from "../audit/record";
import { assertCan } from "../auth/access";
import { newApiToken } from "../auth/api-token";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { CreatePersonalTokenInput, CreateServiceAccountInput } from "../validation/api-tokens";

// Personal access tokens (act as their owner, on the account page) and rollout service
// accounts (a bot user holding roles in one rollout, managed by that rollout's admins).
// The secret is returned once, at creation; only its hash is stored.

const TOKEN_LIST = { id: true, kind: true, name: true, prefix: true, scopes: true, expiresAt: true, createdAt: true, lastUsedAt: true, lastUsedAddress: true, revokedAt: true } as const;

const DAY = 86_400_000;

/** Tokens cannot mint or revoke tokens: that takes a signed-in person. */
function assertSession(actor: Actor): void {
  if (actor.scopes) throw new AppError("FORBIDDEN", { key: "errors.api.scopeMissing", values: { scope: "session" } });
}

export async function createPersonalToken(actor: Actor, input: CreatePersonalTokenInput, now = new Date()) {
  assertSession(actor);
  const secret = newApiToken("PERSONAL");
  const created = await getDb().$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        kind: "PERSONAL",
        userId: actor.id,
        createdById: actor.id,
        name: input.name,
        prefix: secret.prefix,
        tokenHash: secret.hash,
        scopes: input.scopes,
        expiresAt: new Date(now.getTime() + input.expiresInDays * DAY),
      },
      select: TOKEN_LIST,
    });
    await recordSecurityEvent(tx, { actorId: actor.id, action: "api-token.created", targetType: "ApiToken", targetId: row.id, details: { name: row.name, scopes: row.scopes, expiresAt: row.expiresAt } });
    return row;
  });
  return { ...created, token: secret.token };
}

export async function listPersonalTokens(actor: Actor) {
  assertSession(actor);
  return getDb().apiToken.findMany({ where: { userId: actor.id, kind: "PERSONAL" }, select: TOKEN_LIST, orderBy: { createdAt: "desc" } });
}

export async function revokePersonalToken(actor: Actor, tokenId: string, now = new Date()) {
  assertSession(actor);
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { id: tokenId, userId: actor.id, kind: "PERSONAL", revokedAt: null }, data: { revokedAt: now } });
    if (count === 0) throw new AppError("NOT_FOUND", { key: "errors.api.noSuchToken" });
    await recordSecurityEvent(tx, { actorId: actor.id, action: "api-token.revoked", targetType: "ApiToken", targetId: tokenId });
  });
}

/** A new service account in the rollout, with its roles there and a first token (returned once). */
export async function createServiceAccount(actor: Actor, input: CreateServiceAccountInput, now = new Date()) {
  assertSession(actor);
  await assertCan(actor, input.rolloutId, "users.manage");
  const secret = newApiToken("SERVICE");
  return getDb().$transaction(async (tx) => {
    const bot = await tx.user.create({
      data: {
        // Never a mailbox: the reserved .invalid domain, and no password or SSO subject, so it cannot sign in.
        email: `service-${randomBytes(8).toString("hex")}@service-account.invalid`,
        name: input.name,
        serviceAccountRolloutId: input.rolloutId,
      },
      select: { id: true, name: true },
    });
    await tx.rolloutMember.createMany({ data: input.roles.map((role) => ({ rolloutId: input.rolloutId, userId: bot.id, role })) });
    const token = await tx.apiToken.create({
      data: {
        kind: "SERVICE",
        userId: bot.id,
        createdById: actor.id,
        name: input.name,
        prefix: secret.prefix,
        tokenHash: secret.hash,
        scopes: input.scopes,
        expiresAt: new Date(now.getTime() + input.expiresInDays * DAY),
      },
      select: TOKEN_LIST,
    });
    await recordAudit(tx, {
      rolloutId: input.rolloutId,
      actorId: actor.id,
      action: "service-account.created",
      targetType: "User",
      targetId: bot.id,
      after: { name: bot.name, roles: input.roles, scopes: token.scopes, tokenId: token.id, expiresAt: token.expiresAt },
    });
    return { account: { ...bot, roles: input.roles }, ...token, token: secret.token };
  });
}

/** The rollout's service accounts and their tokens; an archived rollout's admins still see them (to revoke). */
export async function listServiceAccounts(actor: Actor, rolloutId: string) {
  await assertCan(actor, rolloutId, "users.manage", { readOrRevoke: true });
  return getDb().user.findMany({
    where: { serviceAccountRolloutId: rolloutId },
    select: { id: true, name: true, active: true, memberships: { where: { rolloutId }, select: { role: true } }, apiTokens: { select: TOKEN_LIST, orderBy: { createdAt: "desc" } } },
    orderBy: { createdAt: "asc" },
  });
}

/** Revokes a service account's token: always allowed to the rollout's admins, archived or not. */
export async function revokeServiceToken(actor: Actor, rolloutId: string, tokenId: string, now = new Date()) {
  await assertCan(actor, rolloutId, "users.manage", { readOrRevoke: true });
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({
      where: { id: tokenId, kind: "SERVICE", revokedAt: null, user: { serviceAccountRolloutId: rolloutId } },
      data: { revokedAt: now },
    });
    if (count === 0) throw new AppError("NOT_FOUND", { key: "errors.api.noSuchToken" });
    await recordAudit(tx, { rolloutId, actorId: actor.id, action: "service-account.token.revoked", targetType: "ApiToken", targetId: tokenId });
  });
}
