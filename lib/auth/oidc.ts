import { z } from "zod";
import { recordAudit, recordSecurityEvent } from "../audit/record";
import { getDb } from "../db/client";
import { ALL_ROLES } from "../domain/roles";
import type { Role } from "../generated/prisma/enums";

// Company SSO: a generic OpenID Connect provider, enabled by OIDC_ISSUER, OIDC_CLIENT_ID
// and OIDC_CLIENT_SECRET. OIDC_ROLE_MAP maps values of the claim OIDC_ROLE_CLAIM
// (default "groups") to portal roles, e.g.
//   OIDC_ROLE_MAP="rollout-execs=EXECUTIVE, sec-team=SECURITY_OFFICER@iteration-5"
// A mapping without "@rollout" applies in every rollout.

export type RoleMapping = { claimValue: string; role: Role; rolloutSlug: string | null };

const roleSchema = z.enum(ALL_ROLES);

export function parseRoleMap(spec: string | undefined): RoleMapping[] {
  if (!spec?.trim()) return [];
  return spec
    .split(/[,;\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(.+?)\s*=\s*([A-Z_]+)(?:@([a-z0-9-]+))?$/.exec(part);
      const role = roleSchema.safeParse(match?.[2]);
      if (!match || !role.success) {
        throw new Error(
          `OIDC_ROLE_MAP entry "${part}" is not "<claim value>=<ROLE>[@<rollout>]" with ROLE one of ${ALL_ROLES.join(", ")}.`,
        );
      }
      return { claimValue: match[1], role: role.data, rolloutSlug: match[3] ?? null };
    });
}

/** The claim's values, whether the provider sends a list, a string, or a space-separated string. */
export function claimValues(claims: Record<string, unknown>, claim: string): string[] {
  const value = claim.split(".").reduce<unknown>((obj, key) => (obj && typeof obj === "object" ? (obj as Record<string, unknown>)[key] : undefined), claims);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  if (typeof value === "string") return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

/** rolloutId → roles the claims grant. */
export function rolesFromClaims(
  claims: Record<string, unknown>,
  claim: string,
  mappings: readonly RoleMapping[],
  rollouts: readonly { id: string; slug: string }[],
): Map<string, Set<Role>> {
  const values = new Set(claimValues(claims, claim));
  const granted = new Map<string, Set<Role>>();
  for (const mapping of mappings) {
    if (!values.has(mapping.claimValue)) continue;
    for (const rollout of rollouts) {
      if (mapping.rolloutSlug && mapping.rolloutSlug !== rollout.slug) continue;
      const roles = granted.get(rollout.id) ?? new Set<Role>();
      roles.add(mapping.role);
      granted.set(rollout.id, roles);
    }
  }
  return granted;
}

export const oidcProfileSchema = z.object({
  sub: z.string().min(1),
  email: z.email(),
  email_verified: z.boolean().optional(),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
});

/**
 * Creates the user on first SSO sign-in (linking a local account of the same email only
 * when the provider vouches for the address), then aligns their SSO-granted roles with
 * the claims. Returns the user id, or null when the account is deactivated.
 */
export async function provisionSsoUser(
  claims: Record<string, unknown>,
  options: { claim: string; mappings: readonly RoleMapping[] },
): Promise<string | null> {
  const profile = oidcProfileSchema.parse(claims);
  const db = getDb();
  return db.$transaction(async (tx) => {
    let user = await tx.user.findUnique({ where: { oidcSubject: profile.sub } });
    if (!user) {
      const byEmail = await tx.user.findUnique({ where: { email: profile.email.toLowerCase() } });
      if (byEmail && !byEmail.oidcSubject && profile.email_verified === true) {
        user = await tx.user.update({ where: { id: byEmail.id }, data: { oidcSubject: profile.sub } });
      } else if (byEmail) {
        throw new Error(`An account for ${profile.email} exists and the identity provider has not verified that address.`);
      } else {
        user = await tx.user.create({
          data: {
            email: profile.email.toLowerCase(),
            name: profile.name ?? profile.preferred_username ?? profile.email,
            oidcSubject: profile.sub,
          },
        });
        await recordSecurityEvent(tx, { actorId: user.id, action: "user.created.sso", targetType: "User", targetId: user.id, details: { email: user.email } });
      }
    }
    if (!user.active) return null;

    const rollouts = await tx.rollout.findMany({ select: { id: true, slug: true } });
    const granted = rolesFromClaims(claims, options.claim, options.mappings, rollouts);
    const current = await tx.rolloutMember.findMany({ where: { userId: user.id, source: "SSO" } });
    const stale = current.filter((m) => !granted.get(m.rolloutId)?.has(m.role));
    const fresh = [...granted].flatMap(([rolloutId, roles]) =>
      [...roles].filter((role) => !current.some((m) => m.rolloutId === rolloutId && m.role === role)).map((role) => ({ rolloutId, role })),
    );
    if (stale.length || fresh.length) {
      await tx.rolloutMember.deleteMany({ where: { id: { in: stale.map((m) => m.id) } } });
      await tx.rolloutMember.createMany({
        data: fresh.map(({ rolloutId, role }) => ({ rolloutId, role, userId: user.id, source: "SSO" as const })),
        skipDuplicates: true,
      });
      await tx.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
      for (const [rolloutId, list] of groupByRollout(stale, fresh)) {
        await recordAudit(tx, {
          rolloutId,
          actorId: user.id,
          action: "member.roles.sso-sync",
          targetType: "User",
          targetId: user.id,
          before: { removed: list.removed },
          after: { added: list.added },
        });
      }
    }
    return user.id;
  });
}

function groupByRollout(stale: { rolloutId: string; role: Role }[], fresh: { rolloutId: string; role: Role }[]) {
  const byRollout = new Map<string, { added: Role[]; removed: Role[] }>();
  const entry = (id: string) => byRollout.get(id) ?? byRollout.set(id, { added: [], removed: [] }).get(id)!;
  for (const m of stale) entry(m.rolloutId).removed.push(m.role);
  for (const m of fresh) entry(m.rolloutId).added.push(m.role);
  return byRollout;
}
