import type { Role } from "../generated/prisma/enums";

// The roles of the plan, in the order the portal lists them.
export const PLAN_ROLES = [
  "EXECUTIVE",
  "DEV_LEAD",
  "OPS_MANAGER",
  "DEVOPS",
  "DBA",
  "DATA_ENGINEER",
  "SECURITY_OFFICER",
  "FINANCE",
] as const satisfies readonly Role[];

export const ALL_ROLES = [...PLAN_ROLES, "ADMIN", "VIEWER"] as const satisfies readonly Role[];

/** URL segment of each role's dashboard. */
export const ROLE_SLUGS: Record<Role, string> = {
  EXECUTIVE: "executive",
  DEV_LEAD: "development-lead",
  OPS_MANAGER: "operations",
  DEVOPS: "devops",
  DBA: "dba",
  DATA_ENGINEER: "data-engineer",
  SECURITY_OFFICER: "security",
  FINANCE: "finance",
  ADMIN: "admin",
  VIEWER: "viewer",
};

/** A role as an identity: a built-in role, or a rollout's custom role (which takes its base role's rights). */
export type RoleRef = { role: Role; customRoleId: string | null };

/** The identity's key: the custom role's id, else the built-in role's name (as the database's `roleKey`). */
export function roleKeyOf(ref: RoleRef): string {
  return ref.customRoleId ?? ref.role;
}

export function sameRole(a: RoleRef, b: RoleRef): boolean {
  return roleKeyOf(a) === roleKeyOf(b);
}

/** Whether the sign-off names this role identity among its approvers. */
export function isApprover(signOff: { requiredRoles: readonly Role[]; requiredCustomRoleIds: readonly string[] }, ref: RoleRef): boolean {
  return ref.customRoleId ? signOff.requiredCustomRoleIds.includes(ref.customRoleId) : signOff.requiredRoles.includes(ref.role);
}

// Segments under /r/[slug]/ that are pages of their own, so no custom role may take them.
const ROUTE_SEGMENTS = ["activity", "checklist", "contacts", "criteria", "documents", "edit", "export", "go-no-go", "import", "ledger", "phases", "settings", "summary", "timeline"];

/** Slugs a custom role may not take: the built-in roles' dashboards and the rollout's own pages. */
export const RESERVED_ROLE_SLUGS: ReadonlySet<string> = new Set([...Object.values(ROLE_SLUGS), ...ROUTE_SEGMENTS]);
