import { z } from "zod";
import { ALL_ROLES } from "../domain/roles";
import type { RolloutSnapshot } from "../dal/snapshot";
import { invalid } from "../i18n/zod";
import { text } from "./input";

// Checklist filters, shared by the checklist page (which ignores a bad value) and the
// CSV export (which refuses it with a clear message).

const fields = {
  role: z.enum(ALL_ROLES, { error: invalid("validation.filters.role", { roles: ALL_ROLES.join(", ") }) }),
  phase: z.coerce.number({ error: invalid("validation.filters.phase") }).int().min(0).max(999),
  state: z.enum(["OPEN", "DONE", "NOT_APPLICABLE", "OVERDUE"], { error: invalid("validation.filters.state") }),
  assignee: text().max(64, { error: invalid("validation.filters.assignee") }),
};

export const itemFiltersSchema = z.object({
  role: fields.role.optional(),
  phase: fields.phase.optional(),
  state: fields.state.optional(),
  assignee: fields.assignee.optional(),
});
export type ItemFilters = z.infer<typeof itemFiltersSchema>;

export const lenientItemFiltersSchema = z.object({
  role: fields.role.optional().catch(undefined),
  phase: fields.phase.optional().catch(undefined),
  state: fields.state.optional().catch(undefined),
  assignee: fields.assignee.optional().catch(undefined),
});

/** A list's page number from the URL: 1 when absent or not a page number (the page clamps it to the last page). */
export const lenientPageSchema = z.coerce.number().int().min(1).max(100_000).catch(1);

/** Query parameters as a plain object: first value of each, empty ones dropped. */
export function queryObject(params: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string> {
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v] as const);
  return Object.fromEntries(entries.filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
}

export function filterItems(items: RolloutSnapshot["items"], filters: ItemFilters, actorId: string, now: Date) {
  return items.filter(
    (i) =>
      (!filters.role || i.ownerRole === filters.role) &&
      (filters.phase === undefined || (filters.phase === 0 ? i.phaseId === null : i.phase?.position === filters.phase)) &&
      (!filters.state ||
        (filters.state === "OVERDUE" ? i.state === "OPEN" && i.dueAt !== null && i.dueAt < now : i.state === filters.state)) &&
      (!filters.assignee || (filters.assignee === "me" ? i.assigneeId === actorId : i.assigneeId === filters.assignee)),
  );
}

export const signOffFiltersSchema = z.object({
  kind: z
    .enum(["PHASE_GATE", "PRODUCTION_DEPLOYMENT", "DEPLOYMENT_DATE", "BUDGET", "SECURITY_POLICY", "ACCESS_CONTROL", "COMPLIANCE", "GO_NO_GO"], { error: invalid("validation.filters.kind") })
    .optional(),
  status: z.enum(["PENDING", "APPROVED", "REJECTED"], { error: invalid("validation.filters.status") }).optional(),
  phase: fields.phase.optional(),
});
export type SignOffFilters = z.infer<typeof signOffFiltersSchema>;

/** The sign-offs a filter keeps (the sign-offs CSV, in the portal and through the API). */
export function filterSignOffs(signOffs: RolloutSnapshot["signOffs"], filters: SignOffFilters) {
  const { kind, status, phase } = filters;
  return signOffs.filter(
    (s) => (!kind || s.kind === kind) && (!status || s.status === status) && (phase === undefined || (phase === 0 ? s.phaseId === null : s.phase?.position === phase)),
  );
}
