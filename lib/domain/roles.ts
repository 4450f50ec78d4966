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

// Who owns a checklist line, guessed from its words. Ordered: the first rule that
// matches wins, so the specific ones come before the broad ones.
const OWNER_RULES: [RegExp, Role][] = [
  [/\bexec(utive)?\b|go\/no-go|cto/i, "EXECUTIVE"],
  [/\bsecurity|polic(y|ies)|compliance|rlac\b/i, "SECURITY_OFFICER"],
  [/\bfinance|budget|procurement/i, "FINANCE"],
  [/\bkafka|cdc\b|pipeline|\bbi\b/i, "DATA_ENGINEER"],
  [/\breplica|optimization|compaction|database|data integrity/i, "DBA"],
  [/\bstaging|production deployment executed|prometheus|grafana|exporter|infrastructure/i, "DEVOPS"],
  [/\btraining|trained|on-call|operations|\bsla\b|alert|observability|certified/i, "OPS_MANAGER"],
  [/\bdeployment (team|date)|architecture|iteration|review/i, "DEV_LEAD"],
];

export function inferOwnerRole(text: string): Role | null {
  return OWNER_RULES.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}
