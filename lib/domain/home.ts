import type { Role } from "../generated/prisma/enums";
import { PLAN_ROLES, ROLE_SLUGS } from "./roles";

/**
 * Where a person lands in their first rollout: the dashboard of a plan role they hold as
 * itself, else of the rollout's own role they hold (`customRoleSlugs`, in the rollout's
 * order), else the admin pages, else the overview. A custom role's base role is a matter of
 * rights, not a dashboard: a "QA Lead" built on a plan role lands on the QA Lead's.
 */
export function homePath(memberships: { slug: string; roles: Role[]; builtInRoles?: Role[]; customRoleSlugs?: string[] }[]): string {
  const first = memberships[0];
  if (!first) return "/";
  const held = first.builtInRoles ?? first.roles;
  const planRole = PLAN_ROLES.find((role) => held.includes(role));
  if (planRole) return `/r/${first.slug}/${ROLE_SLUGS[planRole]}`;
  const custom = first.customRoleSlugs?.[0];
  if (custom) return `/r/${first.slug}/${custom}`;
  if (first.roles.includes("ADMIN")) return "/admin/users";
  return `/r/${first.slug}`;
}

export function roleFromSlug(slug: string): Role | null {
  return (Object.entries(ROLE_SLUGS).find(([, s]) => s === slug)?.[0] as Role | undefined) ?? null;
}
