import type { Role } from "../generated/prisma/enums";

// The sample plan's own template names no owner for most of its checklist lines; the seed
// recognises them by their words. This knowledge belongs to the sample's template only:
// nothing generic uses it, and an item's owner is data the plan holds (and the editor changes).

// Who owns a line of the sample plan, recognised from its words. Ordered: the first rule that
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

export function sampleOwnerRole(text: string): Role | null {
  return OWNER_RULES.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}
