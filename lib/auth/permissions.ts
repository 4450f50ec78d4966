import type { Role, SignOffKind } from "../generated/prisma/enums";

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
  "signoff.decide.PHASE_GATE",
  "signoff.decide.PRODUCTION_DEPLOYMENT",
  "signoff.decide.DEPLOYMENT_DATE",
  "signoff.decide.BUDGET",
  "signoff.decide.SECURITY_POLICY",
  "signoff.decide.ACCESS_CONTROL",
  "signoff.decide.COMPLIANCE",
  "signoff.decide.GO_NO_GO",
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

export function decideAction(kind: SignOffKind): Action {
  return `signoff.decide.${kind}`;
}

const EVERY_MEMBER: Action[] = ["rollout.view", "reading.track", "plan.export"];
const TEAM: Action[] = [...EVERY_MEMBER, "item.tick.own"];

export const PERMISSIONS: Record<Role, readonly Action[]> = {
  EXECUTIVE: [
    ...TEAM,
    "phase.transition",
    "gate.override",
    "signoff.decide.PHASE_GATE",
    "signoff.decide.PRODUCTION_DEPLOYMENT",
    "signoff.decide.DEPLOYMENT_DATE",
    "signoff.decide.BUDGET",
    "signoff.decide.GO_NO_GO",
    "criteria.verify",
    "audit.read",
  ],
  DEV_LEAD: [...TEAM, "phase.transition", "criteria.verify"],
  OPS_MANAGER: [...TEAM, "criteria.verify"],
  DEVOPS: [...TEAM, "criteria.verify"],
  DBA: [...TEAM],
  DATA_ENGINEER: [...TEAM],
  SECURITY_OFFICER: [
    ...TEAM,
    "signoff.decide.SECURITY_POLICY",
    "signoff.decide.ACCESS_CONTROL",
    "signoff.decide.COMPLIANCE",
    "audit.read",
  ],
  FINANCE: [...TEAM, "signoff.decide.BUDGET"],
  ADMIN: [...EVERY_MEMBER, "item.tick.any", "plan.edit", "plan.import", "audit.read", "users.manage", "rollout.archive", "rollout.template"],
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
