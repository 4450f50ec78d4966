import type { Role } from "../generated/prisma/enums";

// The one permission table: role × action, scoped to a rollout (a person holds roles
// per rollout). Every data-layer read and write checks it through `can`/`assertCan`;
// the UI only uses it to decide what to show.

export const ACTIONS = [
  "rollout.view",
  "item.tick.own",
  "item.tick.any",
  "plan.edit",
  "phase.transition",
  "gate.override",
  "signoff.decide",
  "signoff.withdraw.others",
  "criteria.verify",
  "reading.track",
  "plan.import",
  "plan.export",
  "audit.read",
  "users.manage",
  "rollout.archive",
  "rollout.template",
] as const;

export type Action = (typeof ACTIONS)[number];

const EVERY_MEMBER: Action[] = ["rollout.view", "reading.track", "plan.export"];
const TEAM: Action[] = [...EVERY_MEMBER, "item.tick.own"];
// Every plan role may decide, but only the sign-offs that name it among their approvers.
const DECIDER: Action[] = [...TEAM, "signoff.decide"];

export const PERMISSIONS: Record<Role, readonly Action[]> = {
  EXECUTIVE: [...DECIDER, "phase.transition", "gate.override", "criteria.verify", "audit.read"],
  DEV_LEAD: [...DECIDER, "phase.transition", "criteria.verify"],
  OPS_MANAGER: [...DECIDER, "criteria.verify"],
  DEVOPS: [...DECIDER, "criteria.verify"],
  DBA: [...DECIDER],
  DATA_ENGINEER: [...DECIDER],
  SECURITY_OFFICER: [...DECIDER, "audit.read"],
  FINANCE: [...DECIDER],
  ADMIN: [...EVERY_MEMBER, "item.tick.any", "plan.edit", "signoff.withdraw.others", "plan.import", "audit.read", "users.manage", "rollout.archive", "rollout.template"],
  VIEWER: ["rollout.view", "reading.track"],
};

/** Whether any of `roles` (the caller's roles in one rollout) allows `action`. */
export function can(roles: readonly Role[], action: Action): boolean {
  return roles.some((role) => PERMISSIONS[role].includes(action));
}

/** The roles among `roles` that allow `action`. */
export function rolesAllowing(roles: readonly Role[], action: Action): Role[] {
  return roles.filter((role) => PERMISSIONS[role].includes(action));
}

/** The table as Markdown, for docs/security.md (a test keeps the two identical). */
export function permissionTableMarkdown(): string {
  const roles = Object.keys(PERMISSIONS) as Role[];
  const header = `| action | ${roles.join(" | ")} |`;
  const rule = `|---|${roles.map(() => ":-:").join("|")}|`;
  const rows = ACTIONS.map((action) => `| \`${action}\` | ${roles.map((role) => (PERMISSIONS[role].includes(action) ? "✓" : "")).join(" | ")} |`);
  return [header, rule, ...rows].join("\n");
}
