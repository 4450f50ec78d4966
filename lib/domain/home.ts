import type { Role } from "../generated/prisma/enums";
import { PLAN_ROLES, ROLE_SLUGS } from "./roles";

/** Where a person lands: their first plan role's dashboard, the admin pages, or the overview. */
export function homePath(memberships: { slug: string; roles: Role[] }[]): string {
  const first = memberships[0];
  if (!first) return "/";
  const planRole = PLAN_ROLES.find((role) => first.roles.includes(role));
  if (planRole) return `/r/${first.slug}/${ROLE_SLUGS[planRole]}`;
  if (first.roles.includes("ADMIN")) return "/admin/users";
  return `/r/${first.slug}`;
}

export function roleFromSlug(slug: string): Role | null {
  return (Object.entries(ROLE_SLUGS).find(([, s]) => s === slug)?.[0] as Role | undefined) ?? null;
}
