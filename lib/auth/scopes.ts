import type { Action } from "./permissions";

// What an API token may reach. A token's scopes narrow its owner's rights: an action is
// allowed only when one of the owner's roles allows it (the permission table, at the moment
// of the call) AND one of the token's scopes reaches it. A session (no token) has no scope
// limit. Every scope that writes something may also read the rollout it writes in.

export const SCOPES = ["read", "items:write", "signoffs:decide", "criteria:verify", "plan:write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

export const SCOPE_ACTIONS: Record<Scope, readonly Action[]> = {
  read: ["rollout.view", "plan.export", "audit.read", "reading.track"],
  "items:write": ["rollout.view", "item.tick.own", "item.tick.any"],
  "signoffs:decide": ["rollout.view", "signoff.decide"],
  "criteria:verify": ["rollout.view", "criteria.verify"],
  "plan:write": ["rollout.view", "plan.edit", "phase.transition", "gate.override", "plan.import"],
  admin: ["rollout.view", "users.manage", "rollout.archive", "rollout.template"],
};

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Whether `scopes` (a token's; undefined for a session) reach `action`. */
export function scopesAllow(scopes: readonly Scope[] | undefined, action: Action): boolean {
  if (scopes === undefined) return true;
  return scopes.some((scope) => SCOPE_ACTIONS[scope].includes(action));
}

/** The narrowest scope that reaches `action` (named in a refusal). */
export function scopeFor(action: Action): Scope {
  return SCOPES.find((scope) => SCOPE_ACTIONS[scope].includes(action)) ?? "admin";
}
